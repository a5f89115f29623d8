package org.synthloom.captioners.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** Where configured relative paths start: the Synthloom home and its data directory. */
final class Home {

    /** Framework (or system) property naming the Synthloom home. */
    static final String PROPERTY = "synthloom.home";

    private Home() {}

    /**
     * @param context the bundle's context, or null outside OSGi (then the system property is read)
     * @return the Synthloom home: {@code synthloom.home}, else the working directory; absolute
     */
    static Path of(BundleContext context) {
        String home = context != null ? context.getProperty(PROPERTY) : System.getProperty(PROPERTY);
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    /**
     * @param base the directory relative paths start from
     * @param configured a configured path, possibly relative
     * @return the absolute path
     */
    static Path resolve(Path base, String configured) {
        return base.resolve(configured.trim()).toAbsolutePath().normalize();
    }
}

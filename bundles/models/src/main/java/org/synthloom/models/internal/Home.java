package org.synthloom.models.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** The Synthloom home, which configured relative paths start from (as in the tokenizers and captioners). */
final class Home {

    private Home() {}

    /**
     * @param context the bundle's context
     * @return the framework property {@code synthloom.home}, else the working directory; absolute
     */
    static Path of(BundleContext context) {
        String home = context.getProperty("synthloom.home");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }
}

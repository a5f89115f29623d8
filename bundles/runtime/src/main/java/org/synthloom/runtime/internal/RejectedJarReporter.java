package org.synthloom.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports jars in the watched folders that are not OSGi bundles. FileInstall quietly skips such a
 * file; this installer claims exactly those files (valid bundles still go to FileInstall's own
 * bundle installer) and logs which file it is and what is wrong with it. Nothing is installed, so
 * the running framework is untouched. When the file is fixed, FileInstall sees that this installer
 * no longer handles it and installs it as a bundle.
 */
@Component(service = ArtifactInstaller.class)
public class RejectedJarReporter implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedJarReporter.class);

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().toLowerCase(Locale.ROOT).endsWith(".jar") && artifact.isFile()
                && problem(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        report(artifact);
    }

    @Override
    public void update(File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("{} is no longer rejected (removed or replaced)", artifact);
    }

    private static void report(File artifact) {
        String problem = problem(artifact);
        if (problem != null) {
            LOG.error("Rejected {}: {}. Nothing was installed; replace it with an OSGi bundle jar or remove it.",
                    artifact, problem);
        }
    }

    /** Says why a jar cannot be installed as a bundle, or returns null if it can be tried. */
    static String problem(File jar) {
        try (JarFile file = new JarFile(jar)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return "it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle";
            }
            if (manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return "its manifest has no Bundle-SymbolicName, so it is a plain jar, not an OSGi bundle"
                        + " (build it with bnd-maven-plugin, see plugins-sdk/)";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "it is not a readable jar (zip) file: " + e.getMessage();
        }
    }
}

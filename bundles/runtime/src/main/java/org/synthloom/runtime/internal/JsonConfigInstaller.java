package org.synthloom.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Locale;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies JSON configuration files in the watched folders to ConfigAdmin, the way FileInstall
 * applies {@code .cfg} files: created or changed files update their configuration, deleted files
 * delete it. A file that does not parse is reported with its name and the reason (FileInstall logs
 * the exception) and the configuration in force is left as it was.
 */
@Component(service = ArtifactInstaller.class)
public class JsonConfigInstaller implements ArtifactInstaller {

    /** Carries the file a configuration came from, as FileInstall does, so components can name it in errors. */
    static final String FILENAME = "felix.fileinstall.filename";

    private static final Logger LOG = LoggerFactory.getLogger(JsonConfigInstaller.class);

    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public JsonConfigInstaller(@Reference(name = "configurationAdmin") ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().toLowerCase(Locale.ROOT).endsWith(".json") && !artifact.getName().startsWith(".");
    }

    @Override
    public void install(File artifact) throws Exception {
        apply(artifact);
    }

    @Override
    public void update(File artifact) throws Exception {
        apply(artifact);
    }

    private void apply(File artifact) throws IOException {
        Hashtable<String, Object> properties = JsonConfigurations.read(artifact.toPath());
        properties.put(FILENAME, artifact.toURI().toString());
        JsonConfigurations.Target target = JsonConfigurations.target(artifact.toPath());
        Configuration configuration = configuration(target);
        if (same(configuration.getProperties(), properties)) {
            return;
        }
        configuration.update(properties);
        LOG.info("configuration {} applied from {}", target, artifact);
    }

    private Configuration configuration(JsonConfigurations.Target target) throws IOException {
        return target.isFactory() ? configurationAdmin.getFactoryConfiguration(target.factoryPid(), target.name(), "?")
                : configurationAdmin.getConfiguration(target.pid(), "?");
    }

    /** Compares properties ignoring those ConfigAdmin adds (service.pid and friends). */
    private static boolean same(Dictionary<String, Object> current, Hashtable<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        int counted = 0;
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (key.startsWith("service.")) {
                continue;
            }
            counted++;
            Object a = current.get(key);
            Object b = wanted.get(key);
            if (b == null || !java.util.Objects.deepEquals(a, b)) {
                return false;
            }
        }
        return counted == wanted.size();
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        JsonConfigurations.Target target = JsonConfigurations.target(artifact.toPath());
        Configuration[] existing = configurationAdmin.listConfigurations("(" + FILENAME + "="
                + artifact.toURI().toString().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*")
                + ")");
        if (existing != null) {
            for (Configuration configuration : existing) {
                configuration.delete();
            }
            LOG.info("configuration {} deleted with {}", target, artifact);
        }
    }
}

package org.synthloom.pipeline.internal;

/**
 * A component serving a stage, with the identity recorded in lineage and swap events.
 *
 * @param service the service object
 * @param kind its {@code synthloom.kind}
 * @param name its {@code synthloom.name}
 * @param version its bundle's version
 * @param serviceId its service id: a new registration (an updated bundle) has a new one
 * @param ranking its service ranking
 * @param configuration its configuration (service properties without the framework's own), for lineage
 */
record Bound<T>(T service, String kind, String name, String version, long serviceId, int ranking,
        java.util.Map<String, Object> configuration) {

    /** @return {@code kind/name@version}, as events and manifests show it */
    String identity() {
        return kind + "/" + name + "@" + version;
    }
}

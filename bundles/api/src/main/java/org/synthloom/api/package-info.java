/**
 * The root of Synthloom's service provider interface: how a plugin names itself.
 *
 * <p>Every plugin component registers its service with two properties, {@code synthloom.kind}
 * (what it is: a caption generator, an objective, ...) and {@code synthloom.name} (which one),
 * most simply with the {@link org.synthloom.api.SynthloomPlugin} component property type.
 * Pipelines choose their components with LDAP filters over these two properties.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.api;

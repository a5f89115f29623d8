/**
 * Batches as the engine builds them from samples, for plugins and their tests: the field layout
 * every model reads ({@link org.synthloom.api.model.Fields}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.synthloom.batch;

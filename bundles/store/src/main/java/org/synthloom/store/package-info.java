/**
 * The run store: every run with its configuration, state, events and metrics, kept in an embedded
 * database in the data directory, next to the artifacts (shards, checkpoints) the runs produce.
 * It records the events of every run by itself (it is a {@link org.synthloom.api.run.RunListener}),
 * so that a killed and restarted run keeps all it reported, and runs can be compared.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.store;

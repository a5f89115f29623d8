/**
 * Pipelines, their runs, and the events runs emit.
 *
 * <p>A {@link org.synthloom.api.run.Pipeline} is a configuration the engine can start; each start
 * is a {@link org.synthloom.api.run.Run}. Runs emit {@link org.synthloom.api.run.RunEvent}s
 * (started, progress with ETA, metrics, checkpoints, component swaps, pauses, failure, end) to
 * every {@link org.synthloom.api.run.RunListener} service: the command line draws its progress bar
 * from them, the console streams them to the browser, the store records them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.api.run;

/**
 * Synthloom's access to DJL's PyTorch engine: the {@link org.synthloom.djl.DeviceService}.
 *
 * <p>The bundle that exports this package also exports DJL's own packages ({@code ai.djl.*}, at
 * DJL's version) and carries libtorch. A component that computes with DJL references
 * {@code DeviceService}: the reference both gives it its device and guarantees that the engine was
 * loaded first, in this bundle's class loader, before the component touches any DJL class.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.synthloom.djl;

package org.synthloom.djl.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synthloom.djl.DeviceService;
import org.synthloom.djl.GradientScope;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Loads DJL's PyTorch engine and offers it as the {@link DeviceService}.
 *
 * <p>Two constraints shape this component. DJL finds engines and libtorch's files through the
 * thread context class loader, so the engine is loaded here with the context loader set to this
 * bundle's loader. A native library binds to the first class loader that loads it, so libtorch
 * can be loaded by this bundle only once per JVM: the bundle lives in the boot set and is never
 * updated or refreshed at run time. Stopping and starting it again is fine: the loader survives,
 * and so does the loaded engine.
 */
@Component(service = DeviceService.class, immediate = true, configurationPid = TorchRuntime.PID)
@Designate(ocd = TorchRuntimeConfig.class)
public class TorchRuntime implements DeviceService {

    static final String PID = "org.synthloom.djl";
    static final String ENGINE = "PyTorch";

    private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);

    /** The engine and what depends on it, loaded once per activation off the activating thread. */
    private record Loaded(Engine engine, int gpuCount) {}

    private volatile CompletableFuture<Loaded> loading;
    private volatile Device defaultDevice;

    /**
     * Starts loading libtorch on a thread of its own and returns: the service is registered at
     * once, and the framework goes on starting the other bundles (the console among them) on the
     * other core while libtorch loads (about a second). A caller that needs the engine before it
     * is loaded waits for it; one that calls after a failed load gets the reason.
     */
    @Activate
    void activate(TorchRuntimeConfig config, Map<String, Object> properties) {
        CompletableFuture<Loaded> future = new CompletableFuture<>();
        loading = future;
        Thread loader = new Thread(() -> {
            try {
                Engine engine = loadEngine(config);
                int gpus = engine.getGpuCount();
                defaultDevice = chooseDevice(config.device(), properties, DeviceNames.resolve(AUTO, gpus), gpus);
                future.complete(new Loaded(engine, gpus));
                LOG.info("{} from {}", describe(), libraryLocation());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("The PyTorch engine did not load: {}", e.getMessage(), e);
                future.completeExceptionally(e);
            }
        }, "synthloom-libtorch-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** @return the loaded engine, waiting for it if it is still loading */
    private Loaded loaded() {
        try {
            return loading.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("the PyTorch engine did not load: " + cause, cause);
        }
    }

    @Modified
    void modified(TorchRuntimeConfig config, Map<String, Object> properties) {
        int gpus = loaded().gpuCount();
        Device previous = defaultDevice;
        defaultDevice = chooseDevice(config.device(), properties, previous, gpus);
        if (!defaultDevice.equals(previous)) {
            LOG.info("default device is now {}", defaultDevice);
        }
    }

    /**
     * Resolves the configured device; a device this machine cannot provide is reported with the
     * configuration file it came from, and the runtime keeps going on the fallback device.
     */
    private Device chooseDevice(String name, Map<String, Object> properties, Device fallback, int gpus) {
        try {
            return DeviceNames.resolve(name, gpus);
        } catch (IllegalArgumentException e) {
            Object file = properties.get("felix.fileinstall.filename");
            LOG.error("Configuration {}{} rejected: {}. The default device stays {}.", PID,
                    file == null ? "" : " from " + file, e.getMessage(), fallback);
            return fallback;
        }
    }

    /** Loads (or, after a bundle restart, finds) the PyTorch engine; never downloads anything. */
    static Engine loadEngine(TorchRuntimeConfig config) {
        // DJL reads these on first use. Offline mode forbids any download (libtorch, JNI library,
        // models) and DJL's telemetry call; the default engine is named so that DJL's static engine
        // discovery cannot settle on another engine, whichever class loader first touches it.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.default_engine", ENGINE);
        if (config.intraop_threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.intraop_threads()));
        }
        if (config.interop_threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(config.interop_threads()));
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(TorchRuntime.class.getClassLoader());
        try {
            return Engine.getEngine(ENGINE);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("libtorch could not be loaded into this bundle's class loader: " + e.getMessage()
                    + ". If the org.synthloom.djl bundle was updated or refreshed in this JVM, libtorch is still"
                    + " bound to its previous class loader: restart Synthloom.", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the PyTorch engine did not load offline: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private String libraryLocation() {
        try {
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            return "(unknown location)";
        }
    }

    @Override
    public Device defaultDevice() {
        loaded();
        return defaultDevice;
    }

    @Override
    public Device device(String name) {
        return DeviceNames.resolve(name, loaded().gpuCount());
    }

    @Override
    public int gpuCount() {
        return loaded().gpuCount();
    }

    @Override
    public Engine engine() {
        return loaded().engine();
    }

    @Override
    public NDManager newManager(Device device) {
        return loaded().engine().newBaseManager(device);
    }

    @Override
    public GradientScope newGradientScope() {
        return new ThreadGradientScope();
    }

    @Override
    public String describe() {
        Loaded engine = loaded();
        return ENGINE + " " + engine.engine().getVersion() + " (DJL " + Engine.getDjlVersion() + "), default device "
                + defaultDevice + (engine.gpuCount() == 0 ? " (no CUDA GPU)" : ", " + engine.gpuCount() + " CUDA GPU(s)");
    }
}

package org.synthloom.example.hello;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.run.Pipeline;
import org.synthloom.api.run.Run;
import org.synthloom.api.run.RunListener;
import org.synthloom.djl.DeviceService;

/**
 * The {@code hello} pipeline: each start trains a fresh tiny MLP on its own thread and reports its
 * loss through run events (to every {@link RunListener}) and the log.
 */
@Component(service = Pipeline.class, property = Pipeline.NAME_PROPERTY + "=" + HelloPipeline.NAME,
        configurationPid = HelloPipeline.PID)
@Designate(ocd = HelloConfig.class)
public class HelloPipeline implements Pipeline {

    static final String NAME = "hello";
    static final String PID = "org.synthloom.example.hello";
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final DeviceService devices;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger runCount = new AtomicInteger();
    private volatile HelloConfig config;
    private HelloRun current;

    @Activate
    public HelloPipeline(@Reference(name = "devices") DeviceService devices, HelloConfig config) {
        this.devices = devices;
        this.config = config;
    }

    @Modified
    void modified(HelloConfig changed) {
        this.config = changed;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(RunListener listener) {
        listeners.add(listener);
    }

    void removeListener(RunListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        if (current != null) {
            current.cancel();
            current.join();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized Optional<Run> currentRun() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized Run start() {
        if (current != null && !current.state().isTerminal()) {
            throw new IllegalStateException("run " + current.id() + " of pipeline " + NAME + " is still working");
        }
        String id = NAME + "-" + LocalDateTime.now().format(RUN_TIME) + "-" + runCount.incrementAndGet();
        current = new HelloRun(id, config, devices, listeners);
        current.startThread();
        return current;
    }
}

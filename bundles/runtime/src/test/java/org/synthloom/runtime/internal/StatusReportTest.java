package org.synthloom.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void listsActiveComponentsFirstAndSaysWhatTheOthersWaitFor() {
        String text = new StatusReport("Synthloom 0.1.0 ready in 1.2 s")
                .fact("plugins", "/home/plugins")
                .component(new StatusReport.Component("org.example.Waiting", "waiting", "objective/siglip",
                        List.of("DeviceService (org.synthloom.djl.DeviceService)")))
                .component(new StatusReport.Component("org.synthloom.djl.internal.TorchRuntime", "active", "", List.of()))
                .pipeline("synth2").pipeline("hello")
                .render();
        assertEquals(String.join("\n",
                "Synthloom 0.1.0 ready in 1.2 s",
                "  plugins     /home/plugins",
                "  components  1 active, 1 waiting",
                "    active   org.synthloom.djl.internal.TorchRuntime",
                "    waiting  objective/siglip  (org.example.Waiting)",
                "             waiting for DeviceService (org.synthloom.djl.DeviceService)",
                "  pipelines   hello, synth2",
                ""), text);
    }
}

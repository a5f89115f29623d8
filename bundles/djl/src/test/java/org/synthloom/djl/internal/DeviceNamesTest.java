package org.synthloom.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

class DeviceNamesTest {

    @Test
    void autoPicksTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
        assertEquals(Device.cpu(), DeviceNames.resolve("auto", 0));
        assertEquals(Device.gpu(0), DeviceNames.resolve("auto", 2));
    }

    @Test
    void namesAreCaseAndSpaceInsensitive() {
        assertEquals(Device.cpu(), DeviceNames.resolve(" CPU ", 0));
        assertEquals(Device.gpu(1), DeviceNames.resolve("GPU:1", 2));
        assertEquals(Device.gpu(0), DeviceNames.resolve("gpu", 1));
        assertEquals(Device.gpu(0), DeviceNames.resolve("cuda:0", 1));
    }

    @Test
    void aMissingGpuIsAClearError() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> DeviceNames.resolve("gpu", 0));
        assertTrue(none.getMessage().contains("no CUDA GPU"), none.getMessage());
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> DeviceNames.resolve("gpu:2", 2));
        assertTrue(beyond.getMessage().contains("gpu:0 .. gpu:1"), beyond.getMessage());
    }

    @Test
    void unknownNamesListTheChoices() {
        for (String bad : new String[] {"tpu", "gpu:x", "gpu:", ":1", "", "gpu:-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceNames.resolve(bad, 1),
                    bad);
            assertTrue(e.getMessage().contains("auto"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DeviceNames.resolve(null, 0));
    }
}

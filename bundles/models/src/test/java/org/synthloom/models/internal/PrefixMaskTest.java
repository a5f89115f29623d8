package org.synthloom.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.synthloom.models.nn.AttentionMasks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@link AttentionMasks#prefixCausal}, the combination mask: element by element against its definition. */
class PrefixMaskTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void prefixIsBidirectionalAndTheRestCausal() {
        AttentionMasks masks = new AttentionMasks();
        int length = 6;
        for (int prefix = 0; prefix <= length; prefix++) {
            NDArray mask = masks.prefixCausal(prefix, length, manager);
            assertEquals(new Shape(length, length), mask.getShape());
            float[] values = mask.toFloatArray();
            for (int q = 0; q < length; q++) {
                for (int k = 0; k < length; k++) {
                    boolean visible = k < prefix || k <= q;
                    assertEquals(visible ? 0f : AttentionMasks.BLOCKED, values[q * length + k], 0f,
                            "prefix " + prefix + ", query " + q + ", key " + k);
                }
            }
        }
        // Prefix 0 is the causal mask; the constant is cached per prefix and length.
        assertEquals(masks.causal(length, manager).toFloatArray().length, length * length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(masks.causal(length, manager).toFloatArray(),
                masks.prefixCausal(0, length, manager).toFloatArray());
        assertSame(masks.prefixCausal(3, length, manager), masks.prefixCausal(3, length, manager));
        assertThrows(IllegalArgumentException.class, () -> masks.prefixCausal(7, length, manager));
        assertThrows(IllegalArgumentException.class, () -> masks.prefixCausal(-1, length, manager));
    }
}

package org.synthloom.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.data.Sample;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/** The image stage labels a generated sample with its caption's concept when the generator did not. */
class ImageStageLabelTest {

    private static GeneratedCaption caption(String concept, String text) {
        return new GeneratedCaption(Concept.of(concept), new Caption(text, Provenance.synthetic("t", "1", 0)));
    }

    private static Sample generated(String id, String... labels) {
        Sample.Builder b = Sample.builder(id).imageProvenance(Provenance.synthetic("g", "1", 7))
                .caption(new Caption("x", Provenance.synthetic("t", "1", 0)));
        for (String label : labels) {
            b.label(label);
        }
        return b.build();
    }

    @Test
    void unlabelledSamplesTakeTheConceptOfTheirCaptionAndLabelsAGeneratorSetAreKept() {
        List<GeneratedCaption> captions = List.of(caption("trouser", "a trouser on a chair"),
                caption("sandal", "a sandal on the beach"));
        // two captions x three images, caption by caption; one sample already labelled by the generator
        List<Sample> samples = List.of(generated("a"), generated("b"), generated("c", "own"), generated("d"),
                generated("e"), generated("f"));
        List<Sample> labelled = ImageStage.labelled(samples, captions, 3);
        assertEquals(List.of(List.of("trouser"), List.of("trouser"), List.of("own"), List.of("sandal"),
                List.of("sandal"), List.of("sandal")), labelled.stream().map(Sample::labels).toList());
        assertEquals(samples.stream().map(Sample::id).toList(), labelled.stream().map(Sample::id).toList(),
                "order and identity kept");
        assertEquals(samples.get(0).imageProvenance(), labelled.get(0).imageProvenance());
    }
}

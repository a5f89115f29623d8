package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ListParserTest {

    @Test
    void stripsNumberingBulletsQuotesAndEmphasis() {
        String answer = String.join("\n", "Sure! Here are some captions:", "", "1. \"A dog on a mat.\"", "2) **a dog asleep**",
                "(3) 'a dog, wet'", "4: a dog with a ball", "5 - a dog at dusk", "- a dog under a tree", "* a dog in snow",
                "\u2022 \u201ca dog by the sea\u201d", "", "I hope these help!");
        assertEquals(List.of("A dog on a mat.", "a dog asleep", "a dog, wet", "a dog with a ball", "a dog at dusk",
                "a dog under a tree", "a dog in snow", "a dog by the sea"), ListParser.parse(answer, false));
    }

    @Test
    void anAnswerWithoutAListIsOneCaptionALine() {
        assertEquals(List.of("a cat on a roof", "a cat in a box"),
                ListParser.parse("Captions:\n a cat on a roof \n\n\"a cat in a box\"\n", false));
    }

    @Test
    void aCaptionStartingWithANumberWordIsKeptWhole() {
        assertEquals(List.of("3 cats on a sofa", "two dogs"), ListParser.parse("1. 3 cats on a sofa\n2. two dogs", false));
    }

    @Test
    void aTruncatedAnswerDropsItsLastItemAndEmptyItemsAreSkipped() {
        assertEquals(List.of("one"), ListParser.parse("1. one\n2. \"\"\n3. tw", true));
        assertEquals(List.of(), ListParser.parse("", false));
    }
}

package org.synthloom.shapes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.synthloom.shapes.internal.SceneSpec.ObjectSpec;

class CaptionParserTest {

    @Test
    void readsObjectsBackgroundAndRelation() {
        SceneSpec s = CaptionParser.parse("A big Blue STAR above a little yellow circle, on a dotted gray backdrop.");
        assertEquals(List.of(new ObjectSpec("star", "blue", "large"), new ObjectSpec("circle", "yellow", "small")),
                s.objects());
        assertEquals("dotted", s.texture());
        assertEquals("grey", s.background());
        assertEquals("above", s.relation());
    }

    @Test
    void readsColourAfterTheShape() {
        SceneSpec s = CaptionParser.parse("there is a circle, coloured red, to the right of a black square");
        assertEquals(new ObjectSpec("circle", "red", null), s.objects().get(0));
        assertEquals("right of", s.relation());
    }

    @Test
    void theFirstCompletePairIsTheMainObjectAndTheRelationFollowsIt() {
        SceneSpec s = CaptionParser.parse("a circle to the left of a blue square");
        assertEquals(new ObjectSpec("square", "blue", null), s.objects().get(0));
        assertEquals(new ObjectSpec("circle", null, null), s.objects().get(1));
        assertEquals("right of", s.relation());
    }

    @Test
    void anObjectColourNamingTheBackgroundIsNotAnObject() {
        SceneSpec s = CaptionParser.parse("a square on a striped blue background");
        assertEquals(List.of(new ObjectSpec("square", null, null)), s.objects());
        assertEquals("striped", s.texture());
        assertNull(s.background());
    }

    @Test
    void readsPositionsButNotRelationsAsPositions() {
        SceneSpec corner = CaptionParser.parse("a red circle in the bottom right corner");
        assertEquals("bottom", corner.vertical());
        assertEquals("right", corner.horizontal());
        assertNull(corner.relation());
        SceneSpec centre = CaptionParser.parse("a red circle in the centre");
        assertEquals("middle", centre.vertical());
        assertEquals("centre", centre.horizontal());
        assertTrue(CaptionParser.parse("nothing to see").objects().isEmpty());
    }
}

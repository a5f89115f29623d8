package org.synthloom.captioners.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArticlesTest {

    @ParameterizedTest
    @CsvSource({"apple,an", "dog,a", "elephant,an", "owl,an", "umbrella,an", "igloo,an", "hour,an", "honest man,an",
        "horse,a", "unicorn,a", "university,a", "uninvited guest,an", "european car,a", "one-way street,a", "8,an",
        "11 cats,an", "18,an", "12,a", "80,an", "x-ray,an", "x,an", "b,a", "'apple',an", "Apple,an", "'',a"})
    void agreesWithTheSoundOfTheNextWord(String next, String article) {
        assertEquals(article, Articles.indefinite(next));
    }

    @ParameterizedTest
    @CsvSource({"A,elephant,An", "an,dog,a", "An,dog,A", "a,owl,an"})
    void keepsTheCaseOfTheArticleItReplaces(String article, String next, String expected) {
        assertEquals(expected, Articles.agree(article, next));
    }
}

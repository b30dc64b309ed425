package dev.shoppulse.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of the shared text domain: accepted text is bounded and clean, whatever comes in. */
class FieldsProperties {

    @Property
    void acceptedTextIsBoundedAndClean(@ForAll String s) {
        try {
            String t = Fields.text("f", s, 0, 20, false);
            assertThat(t.codePointCount(0, t.length())).isLessThanOrEqualTo(20);
            assertThat(t.chars().noneMatch(Character::isISOControl)).isTrue();
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertThat(Character.isLowSurrogate(t.charAt(++i))).isTrue();
                } else {
                    assertThat(Character.isLowSurrogate(c)).isFalse();
                }
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("f ");
        }
    }
}

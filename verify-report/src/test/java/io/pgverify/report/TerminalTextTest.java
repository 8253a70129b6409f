package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void measuresTerminalColumnsNotChars() {
        assertThat(TerminalText.width("orders")).isEqualTo(6);
        assertThat(TerminalText.width("注文")).isEqualTo(4);
        assertThat(TerminalText.width("e\u0301")).isEqualTo(1);
        assertThat(TerminalText.width("\uD83D\uDE00")).isEqualTo(2);
    }

    @Test
    void cutsInTheMiddle() {
        assertThat(TerminalText.truncateMiddle("public.orders", 13)).isEqualTo("public.orders");
        assertThat(TerminalText.truncateMiddle("abcdefghij", 5)).isEqualTo("ab…ij");
        assertThat(TerminalText.truncateMiddle("abcdefghij", 6)).isEqualTo("abc…ij");
        assertThat(TerminalText.truncateMiddle("注文注文注文", 5)).isEqualTo("注…文");
        assertThat(TerminalText.truncateMiddle("注文注文注文", 6)).isEqualTo("注…文").matches(s -> TerminalText.width(s) <= 6);
        assertThat(TerminalText.truncateMiddle("abc", 1)).isEqualTo("…");
    }

    @Test
    void wrapsAtSpacesAndBreaksWordsLongerThanALine() {
        assertThat(TerminalText.wrap("one two three four", 9)).containsExactly("one two", "three", "four");
        assertThat(TerminalText.wrap("(id=0123456789abcdef) x", 8)).containsExactly("(id=0123", "456789ab", "cdef) x");
        assertThat(TerminalText.wrap("", 10)).containsExactly("");
    }

    @Test
    void replacesWhatATerminalWouldActOn() {
        assertThat(TerminalText.clean("a\nb\u001B[31mc\u202Ed\uDC00e")).isEqualTo("a?b?[31mc?d?e");
        assertThat(TerminalText.clean("Bestellungen ü 注文 \uD83D\uDE00")).isEqualTo("Bestellungen ü 注文 \uD83D\uDE00");
    }
}

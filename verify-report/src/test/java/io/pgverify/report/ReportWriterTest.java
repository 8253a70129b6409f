package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReportWriterTest {

    @Test
    void everyFormatHasAWriter() {
        assertThat(ReportWriter.of(ReportFormat.TEXT)).isInstanceOf(TextReportWriter.class);
        assertThat(ReportWriter.of(ReportFormat.JSON)).isInstanceOf(JsonReportWriter.class);
        assertThat(ReportWriter.of(ReportFormat.JUNIT)).isInstanceOf(JunitReportWriter.class);
        assertThat(ReportWriter.of(ReportFormat.HTML)).isInstanceOf(HtmlReportWriter.class);
        assertThatThrownBy(() -> ReportWriter.of(null)).isInstanceOf(NullPointerException.class);
    }
}

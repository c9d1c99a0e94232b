package dev.mcpconnector.audit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Values fitted to their columns before they are written. */
@Tag("fast")
class JdbcAuditWriterTests {

	@Test
	void cleanWhenTooLongThenCutAtMax() {
		assertThat(JdbcAuditWriter.clean("abcdef", 4)).isEqualTo("abcd");
		assertThat(JdbcAuditWriter.clean("abc", 4)).isEqualTo("abc");
		assertThat(JdbcAuditWriter.clean(null, 4)).isNull();
	}

	@Test
	void cleanNeverLeavesHalfASurrogatePair() {
		String emoji = "ab\uD83D\uDE00";
		assertThat(JdbcAuditWriter.clean(emoji, 3)).isEqualTo("ab");
		assertThat(JdbcAuditWriter.clean(emoji, 4)).isEqualTo(emoji);
	}

	@Test
	void cleanReplacesNulWhichPostgresRefuses() {
		assertThat(JdbcAuditWriter.clean("a\u0000b", 10)).isEqualTo("a\uFFFDb");
	}

}

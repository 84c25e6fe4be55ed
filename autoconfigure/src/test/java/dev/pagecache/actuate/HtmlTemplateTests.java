package dev.pagecache.actuate;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pagecache.actuate.HtmlTemplate.Html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link HtmlTemplate}.
 */
class HtmlTemplateTests {

	private final HtmlTemplate row = HtmlTemplate.load("dashboard/invalidation.html");

	@Test
	void everyTextValueIsEscaped() {
		String html = this.row.render(Map.of("type", "\"><script>alert(1)</script>", "invalidations", 3)).markup();
		assertThat(html).isEqualTo("<tr class=\"pc-invalidation\" data-type=\"&quot;&gt;&lt;script&gt;alert(1)"
				+ "&lt;/script&gt;\"><td><code>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code></td>"
				+ "<td class=\"pc-num\">3</td></tr>\n");
	}

	@Test
	void renderedMarkupIsInsertedAsItIs() {
		Html rows = Html.join(java.util.List.of(this.row.render(Map.of("type", "Post", "invalidations", 1)),
				this.row.render(Map.of("type", "Comment", "invalidations", 2))));
		String table = HtmlTemplate.load("dashboard/invalidations.html").render(Map.of("rows", rows)).markup();
		assertThat(table).contains("<tbody>\n<tr class=\"pc-invalidation\" data-type=\"Post\">")
			.contains("</tr>\n<tr class=\"pc-invalidation\" data-type=\"Comment\">")
			.endsWith("</tr>\n</tbody></table>\n");
	}

	@Test
	void aPlaceholderWithoutValueFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> this.row.render(Map.of("type", "Post")))
			.withMessage("No value for {{invalidations}} in dashboard/invalidation.html");
	}

	@Test
	void aMissingTemplateFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> HtmlTemplate.load("dashboard/missing.html"))
			.withMessageContaining("dashboard/missing.html");
	}

}

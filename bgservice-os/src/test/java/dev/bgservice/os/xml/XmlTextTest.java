package dev.bgservice.os.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XmlTextTest {

  @Test
  void escapesMarkupAndCarriageReturns() {
    assertThat(XmlText.escape("a<b>&\"c\"'d'\r\n\te")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#13;\n\te");
  }

  @Test
  void keepsNonAsciiIncludingSurrogatePairs() {
    assertThat(XmlText.escape("café 日本 😀")).isEqualTo("café 日本 😀");
  }

  @Test
  void refusesCharactersXmlCannotCarry() {
    assertThatThrownBy(() -> XmlText.escape("a\u0000b")).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> XmlText.escape("a\uD800b")).hasMessageContaining("U+D800");
    assertThatThrownBy(() -> XmlText.escape("\uFFFE")).hasMessageContaining("U+FFFE");
  }
}

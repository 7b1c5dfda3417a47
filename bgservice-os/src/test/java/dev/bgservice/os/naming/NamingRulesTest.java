package dev.bgservice.os.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamingRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"sync", "com.example.sync", "my-app_2", "a:b", "A1"})
  void systemdAcceptsUnitNameCharacters(String label) {
    assertThat(NamingRules.checkSystemd(label)).isEqualTo(label);
  }

  @Test
  void systemdRefusesWithTheRuleAndTheOffendingCharacter() {
    assertThatThrownBy(() -> NamingRules.checkSystemd("my app"))
        .isInstanceOf(InvalidLabelException.class)
        .hasMessage("The service label 'my app' cannot be used with systemd: it may only contain ASCII"
            + " letters, digits, ':', '_', '.' and '-'; found a space.");
    assertThatThrownBy(() -> NamingRules.checkSystemd("sync@1")).hasMessageContaining("found '@'");
    assertThatThrownBy(() -> NamingRules.checkSystemd("café")).hasMessageContaining("found 'é'");
    assertThatThrownBy(() -> NamingRules.checkSystemd("-sync")).hasMessageContaining("must not start with '-' or '.'");
    assertThatThrownBy(() -> NamingRules.checkSystemd(".sync")).hasMessageContaining("must not start");
  }

  @Test
  void systemdLimitsTheUnitNameTo255Characters() {
    String longest = "a".repeat(255 - ".service".length());
    assertThat(NamingRules.checkSystemd(longest)).isEqualTo(longest);
    assertThatThrownBy(() -> NamingRules.checkSystemd(longest + "a")).hasMessageContaining("too long");
  }

  @Test
  void baseRulesApplyToEveryManager() {
    for (String bad : new String[] {"", "a/b", "a\\b", "a..b", "a\nb"}) {
      assertThatThrownBy(() -> NamingRules.checkSystemd(bad)).isInstanceOf(InvalidLabelException.class);
      assertThatThrownBy(() -> NamingRules.checkLaunchd(bad)).isInstanceOf(InvalidLabelException.class);
      assertThatThrownBy(() -> NamingRules.checkWindows(bad)).isInstanceOf(InvalidLabelException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.example.sync", "sync", "org.acme.sync-agent_2"})
  void launchdAcceptsReverseDnsLabels(String label) {
    assertThat(NamingRules.checkLaunchd(label)).isEqualTo(label);
  }

  @Test
  void launchdRefusesOtherCharactersApplesPrefixAndLongLabels() {
    assertThatThrownBy(() -> NamingRules.checkLaunchd("com.example:sync"))
        .hasMessageContaining("cannot be used with launchd")
        .hasMessageContaining("reverse-DNS")
        .hasMessageContaining("found ':'");
    assertThatThrownBy(() -> NamingRules.checkLaunchd("com.apple.sync")).hasMessageContaining("com.apple.");
    assertThatThrownBy(() -> NamingRules.checkLaunchd("COM.APPLE.sync")).hasMessageContaining("com.apple.");
    assertThat(NamingRules.checkLaunchd("a".repeat(249))).hasSize(249);
    assertThatThrownBy(() -> NamingRules.checkLaunchd("a".repeat(250))).hasMessageContaining("too long");
  }

  @Test
  void windowsAcceptsSafeNamesUpTo256Characters() {
    assertThat(NamingRules.checkWindows("com.example.sync")).isEqualTo("com.example.sync");
    assertThat(NamingRules.checkWindows("a".repeat(256))).hasSize(256);
    assertThatThrownBy(() -> NamingRules.checkWindows("a".repeat(257))).hasMessageContaining("too long");
    assertThatThrownBy(() -> NamingRules.checkWindows("my:sync"))
        .hasMessageContaining("cannot be used with Windows")
        .hasMessageContaining("found ':'");
    assertThatThrownBy(() -> NamingRules.checkWindows("sync*")).hasMessageContaining("found '*'");
  }
}

package dev.aiprof.agent.doctor;

/**
 * One line of {@code aiprof doctor}: an item, whether it is fine, and what was seen. A failed
 * {@code required} check means the agent cannot run here.
 */
public record Check(String item, Status status, String detail, boolean required) {
  /** ok: works; missing: absent but optional; fail: absent and needed. */
  public enum Status {
    OK("ok"),
    MISSING("no"),
    FAIL("FAIL");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static Check of(String item, boolean ok, String detail, boolean required) {
    return new Check(
        item, ok ? Status.OK : required ? Status.FAIL : Status.MISSING, detail, required);
  }
}

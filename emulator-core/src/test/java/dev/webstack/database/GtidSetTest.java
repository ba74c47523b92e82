package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidSetTest {

  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4f22ab58-82db-22f2-af44-d91bb0530673";

  @Test
  void parse_andMysqlTextForm_roundTrip() {
    GtidSet s = GtidSet.parse(B + ":1-5, " + A + ":1-77:80\n");
    assertThat(s.toString()).isEqualTo(A + ":1-77:80," + B + ":1-5");
    assertThat(GtidSet.parse(s.toString())).isEqualTo(s);
    assertThat(s.size()).isEqualTo(83);
    assertThat(GtidSet.parse("")).isEqualTo(GtidSet.empty());
    assertThatThrownBy(() -> GtidSet.parse(A + ":5-2")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subtractAndSubset_areMysqlsGtidSubtractAndGtidSubset() {
    GtidSet acked = GtidSet.parse(A + ":1-10");
    GtidSet executed = GtidSet.parse(A + ":1-7:9," + B + ":1-2");
    assertThat(acked.subtract(executed).toString()).isEqualTo(A + ":8:10");
    assertThat(executed.subtract(acked).toString()).isEqualTo(B + ":1-2");
    assertThat(executed.containsAll(GtidSet.parse(A + ":2-7"))).isTrue();
    assertThat(executed.containsAll(GtidSet.parse(A + ":7-8"))).isFalse();
    assertThat(acked.union(executed).toString()).isEqualTo(A + ":1-10," + B + ":1-2");
  }

  @Test
  void mutable_mergesOutOfOrderIds() {
    GtidSet.Mutable m = new GtidSet.Mutable();
    for (long id : new long[] {5, 1, 3, 2, 4, 9, 7, 8}) {
      assertThat(m.add(A, id)).isTrue();
    }
    assertThat(m.add(A, 3)).isFalse();
    assertThat(m.snapshot().toString()).isEqualTo(A + ":1-5:7-9");
    assertThat(m.contains(A, 6)).isFalse();
    assertThat(m.containsAll(GtidSet.parse(A + ":7-9"))).isTrue();
    assertThat(m.containsAll(GtidSet.parse(A + ":4-7"))).isFalse();
  }
}

package dev.webstack.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {

  @Test
  void aLockingReadIsRecognised_whateverWhitespaceSeparatesItsWords() {
    assertThat(Sql.classify("SELECT v FROM kv WHERE k = ?\nFOR UPDATE")).isEqualTo(Sql.Kind.LOCKING_READ);
    assertThat(Sql.classify("SELECT v FROM kv WHERE k = ? FOR  SHARE")).isEqualTo(Sql.Kind.LOCKING_READ);
    assertThat(Sql.classify("SELECT 1 LOCK\tIN SHARE\n MODE")).isEqualTo(Sql.Kind.LOCKING_READ);
    assertThat(Sql.classify("SELECT before_update FROM t")).isEqualTo(Sql.Kind.READ);
  }

  @Test
  void aSecondStatementIsFound_outsideQuotesAndComments() {
    assertThat(Sql.secondStatement("SELECT 1; SELECT 2")).isEqualTo(10);
    assertThat(Sql.secondStatement("SELECT 1;")).isEqualTo(-1);
    assertThat(Sql.secondStatement("SELECT 1 ; -- done\n ; /* end */")).isEqualTo(-1);
    assertThat(Sql.secondStatement("SELECT ';', \"a;b\", `c;d`, $$e;f$$ /* ; */ -- ;")).isEqualTo(-1);
    assertThat(Sql.secondStatement("SELECT 'it''s;' ; DROP TABLE t")).isEqualTo(18);
  }

  @Test
  void aReadThatDrawsASequence_isAWrite() {
    assertThat(Sql.classify("SELECT NEXT VALUE FOR seq")).isEqualTo(Sql.Kind.WRITE);
    assertThat(Sql.classify("select nextval('seq'), 1")).isEqualTo(Sql.Kind.WRITE);
    assertThat(Sql.classify("SELECT next_value FROM t")).isEqualTo(Sql.Kind.READ);
  }

  @Test
  void autocommitsValue_ignoresComments() {
    assertThat(Sql.autocommitValue("SET autocommit=1 /* x */")).isTrue();
    assertThat(Sql.autocommitValue("SET autocommit = 0 -- off")).isFalse();
  }

  @Test
  void classifiesLikeARoutersQueryRules() {
    assertThat(Sql.classify("  /* hint */ select * from t")).isEqualTo(Sql.Kind.READ);
    assertThat(Sql.classify("-- c\nSELECT v FROM kv WHERE k = ? FOR UPDATE")).isEqualTo(Sql.Kind.LOCKING_READ);
    assertThat(Sql.classify("select 1 lock in share mode")).isEqualTo(Sql.Kind.LOCKING_READ);
    assertThat(Sql.classify("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(Sql.Kind.READ);
    assertThat(Sql.classify("SHOW TABLES")).isEqualTo(Sql.Kind.READ);
    assertThat(Sql.classify("insert into t values (1)")).isEqualTo(Sql.Kind.WRITE);
    assertThat(Sql.classify("REPLACE INTO t VALUES (1)")).isEqualTo(Sql.Kind.WRITE);
    assertThat(Sql.classify("ALTER TABLE t ADD c INT")).isEqualTo(Sql.Kind.DDL);
    assertThat(Sql.classify("truncate table t")).isEqualTo(Sql.Kind.DDL);
    assertThat(Sql.classify("START TRANSACTION READ ONLY")).isEqualTo(Sql.Kind.BEGIN_READ_ONLY);
    assertThat(Sql.classify("begin")).isEqualTo(Sql.Kind.BEGIN);
    assertThat(Sql.classify("ROLLBACK TO SAVEPOINT s1")).isEqualTo(Sql.Kind.ROLLBACK_TO);
    assertThat(Sql.classify("rollback")).isEqualTo(Sql.Kind.ROLLBACK);
    assertThat(Sql.classify("SET autocommit = 0")).isEqualTo(Sql.Kind.SET_AUTOCOMMIT);
    assertThat(Sql.autocommitValue("SET autocommit = 0")).isFalse();
    assertThat(Sql.autocommitValue("set AUTOCOMMIT=ON")).isTrue();
    assertThat(Sql.classify("SET @x = 1")).isEqualTo(Sql.Kind.SESSION);
    assertThat(Sql.savepointName("SAVEPOINT `S1`")).isEqualTo("s1");
  }
}

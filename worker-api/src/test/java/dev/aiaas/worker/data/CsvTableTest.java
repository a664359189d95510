package dev.aiaas.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvTableTest {

  private static CsvTable parse(String csv) throws Exception {
    return CsvTable.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), 1000);
  }

  private static DataException error(String csv) {
    return assertThrows(DataException.class, () -> parse(csv));
  }

  /** Verifies type inference, missing values, quoting (commas, quotes, line breaks) and CRLF line ends. */
  @Test
  void readsAndInfers() throws Exception {
    CsvTable t = parse("n,c,q\r\n1.5,a,\"x, \"\"y\"\"\"\r\nNA,b,\"two\nlines\"\r\n-3e2,a,plain\r\n");

    assertEquals(List.of("n", "c", "q"), t.columns());
    assertEquals(3, t.rows());
    assertEquals(ColumnType.NUMERIC, t.schema().get(0).type());
    assertEquals(1, t.schema().get(0).missing());
    assertTrue(Double.isNaN(t.number(1, 0)));
    assertEquals(-300.0, t.number(2, 0));
    assertEquals(ColumnType.CATEGORICAL, t.schema().get(1).type());
    assertEquals(List.of("a", "b"), t.schema().get(1).categories(), "most frequent first");
    assertEquals("x, \"y\"", t.value(0, 2));
    assertEquals("two\nlines", t.value(1, 2));
    assertNull(t.head(2).get(1).get("n"));
  }

  /** Verifies that each kind of broken file names the line (and column) at fault. */
  @Test
  void errorsNameLineAndColumn() {
    assertEquals(3, error("a,b\n1,2\n1,2,3\n").line());
    assertEquals(2, error("a,b\n1,\"2\n").line());
    assertEquals(Optional.of("a"), error("a,a\n1,2\n").column());
    assertEquals(1, error(",b\n1,2\n").line());
    assertEquals(0, error("").line());
    assertTrue(error("a\n").getMessage().contains("no rows"));
    assertEquals(Optional.of("b"), error("a,b\n1,\n2,NA\n").column(), "a column without values");
    assertTrue(error("a,b\n1,\"x\"y\n").getMessage().contains("after a closing quote"));
    assertTrue(error("a,b\n1,x\"y\n").getMessage().contains("quote inside"));
  }

  /** Verifies that invalid UTF-8 and too many rows are refused. */
  @Test
  void encodingAndSize() {
    assertThrows(DataException.class, () -> CsvTable.parse(new ByteArrayInputStream(new byte[] {'a', '\n', (byte) 0xff, '\n'}), 10));
    DataException tooMany = assertThrows(DataException.class,
        () -> CsvTable.parse(new ByteArrayInputStream("a\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8)), 2));
    assertEquals(4, tooMany.line());
  }
}

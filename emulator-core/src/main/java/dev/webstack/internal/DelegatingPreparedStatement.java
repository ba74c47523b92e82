package dev.webstack.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.*;
import java.util.Calendar;

/**
 * Forwards every {@link PreparedStatement} call to the wrapped statement; subclasses override what they own
 * (replication, a link).
 */
public abstract class DelegatingPreparedStatement extends DelegatingStatement<PreparedStatement>
    implements PreparedStatement {

  protected DelegatingPreparedStatement(PreparedStatement raw) {
    super(raw);
  }

  @Override
  public void addBatch() throws SQLException {
    raw.addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    raw.clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    return raw.execute();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return raw.executeLargeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return raw.executeQuery();
  }

  @Override
  public int executeUpdate() throws SQLException {
    return raw.executeUpdate();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return raw.getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return raw.getParameterMetaData();
  }

  @Override
  public void setArray(int a0, Array a1) throws SQLException {
    raw.setArray(a0, a1);
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
    raw.setAsciiStream(a0, a1, a2);
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
    raw.setAsciiStream(a0, a1, a2);
  }

  @Override
  public void setAsciiStream(int a0, InputStream a1) throws SQLException {
    raw.setAsciiStream(a0, a1);
  }

  @Override
  public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
    raw.setBigDecimal(a0, a1);
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
    raw.setBinaryStream(a0, a1, a2);
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
    raw.setBinaryStream(a0, a1, a2);
  }

  @Override
  public void setBinaryStream(int a0, InputStream a1) throws SQLException {
    raw.setBinaryStream(a0, a1);
  }

  @Override
  public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
    raw.setBlob(a0, a1, a2);
  }

  @Override
  public void setBlob(int a0, InputStream a1) throws SQLException {
    raw.setBlob(a0, a1);
  }

  @Override
  public void setBlob(int a0, Blob a1) throws SQLException {
    raw.setBlob(a0, a1);
  }

  @Override
  public void setBoolean(int a0, boolean a1) throws SQLException {
    raw.setBoolean(a0, a1);
  }

  @Override
  public void setByte(int a0, byte a1) throws SQLException {
    raw.setByte(a0, a1);
  }

  @Override
  public void setBytes(int a0, byte[] a1) throws SQLException {
    raw.setBytes(a0, a1);
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
    raw.setCharacterStream(a0, a1, a2);
  }

  @Override
  public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    raw.setCharacterStream(a0, a1, a2);
  }

  @Override
  public void setCharacterStream(int a0, Reader a1) throws SQLException {
    raw.setCharacterStream(a0, a1);
  }

  @Override
  public void setClob(int a0, Reader a1, long a2) throws SQLException {
    raw.setClob(a0, a1, a2);
  }

  @Override
  public void setClob(int a0, Reader a1) throws SQLException {
    raw.setClob(a0, a1);
  }

  @Override
  public void setClob(int a0, Clob a1) throws SQLException {
    raw.setClob(a0, a1);
  }

  @Override
  public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
    raw.setDate(a0, a1, a2);
  }

  @Override
  public void setDate(int a0, Date a1) throws SQLException {
    raw.setDate(a0, a1);
  }

  @Override
  public void setDouble(int a0, double a1) throws SQLException {
    raw.setDouble(a0, a1);
  }

  @Override
  public void setFloat(int a0, float a1) throws SQLException {
    raw.setFloat(a0, a1);
  }

  @Override
  public void setInt(int a0, int a1) throws SQLException {
    raw.setInt(a0, a1);
  }

  @Override
  public void setLong(int a0, long a1) throws SQLException {
    raw.setLong(a0, a1);
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
    raw.setNCharacterStream(a0, a1, a2);
  }

  @Override
  public void setNCharacterStream(int a0, Reader a1) throws SQLException {
    raw.setNCharacterStream(a0, a1);
  }

  @Override
  public void setNClob(int a0, Reader a1, long a2) throws SQLException {
    raw.setNClob(a0, a1, a2);
  }

  @Override
  public void setNClob(int a0, Reader a1) throws SQLException {
    raw.setNClob(a0, a1);
  }

  @Override
  public void setNClob(int a0, NClob a1) throws SQLException {
    raw.setNClob(a0, a1);
  }

  @Override
  public void setNString(int a0, String a1) throws SQLException {
    raw.setNString(a0, a1);
  }

  @Override
  public void setNull(int a0, int a1, String a2) throws SQLException {
    raw.setNull(a0, a1, a2);
  }

  @Override
  public void setNull(int a0, int a1) throws SQLException {
    raw.setNull(a0, a1);
  }

  @Override
  public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
    raw.setObject(a0, a1, a2, a3);
  }

  @Override
  public void setObject(int a0, Object a1, int a2) throws SQLException {
    raw.setObject(a0, a1, a2);
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
    raw.setObject(a0, a1, a2, a3);
  }

  @Override
  public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
    raw.setObject(a0, a1, a2);
  }

  @Override
  public void setObject(int a0, Object a1) throws SQLException {
    raw.setObject(a0, a1);
  }

  @Override
  public void setRef(int a0, Ref a1) throws SQLException {
    raw.setRef(a0, a1);
  }

  @Override
  public void setRowId(int a0, RowId a1) throws SQLException {
    raw.setRowId(a0, a1);
  }

  @Override
  public void setSQLXML(int a0, SQLXML a1) throws SQLException {
    raw.setSQLXML(a0, a1);
  }

  @Override
  public void setShort(int a0, short a1) throws SQLException {
    raw.setShort(a0, a1);
  }

  @Override
  public void setString(int a0, String a1) throws SQLException {
    raw.setString(a0, a1);
  }

  @Override
  public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
    raw.setTime(a0, a1, a2);
  }

  @Override
  public void setTime(int a0, Time a1) throws SQLException {
    raw.setTime(a0, a1);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
    raw.setTimestamp(a0, a1, a2);
  }

  @Override
  public void setTimestamp(int a0, Timestamp a1) throws SQLException {
    raw.setTimestamp(a0, a1);
  }

  @Override
  public void setURL(int a0, URL a1) throws SQLException {
    raw.setURL(a0, a1);
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
    raw.setUnicodeStream(a0, a1, a2);
  }

}

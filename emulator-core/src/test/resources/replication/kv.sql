-- Schema of the replication tests' key-value application.
CREATE TABLE kv (
  k VARCHAR(100) PRIMARY KEY,
  v VARCHAR(1000) NOT NULL,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE TABLE events (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  note VARCHAR(200),
  score DOUBLE DEFAULT RAND(),
  at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO kv(k, v) VALUES ('seed', 'from the schema');

-- Schema of the built-in demo application (dev.webstack.app.DemoApplication).
CREATE TABLE posts (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  body VARCHAR(2000) NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
INSERT INTO posts(body) VALUES ('Hello from foobar.com');
INSERT INTO posts(body) VALUES ('Served by the emulated stack');

-- Up Migration

-- wx.login codes minted by the sandbox login provider (the local stand-in for WeChat's
-- code2Session): single-use, valid 5 minutes, kept here so every instance of the host agrees.
CREATE TABLE sandbox_login_codes (
  code        text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 128),
  openid      text NOT NULL CHECK (length(openid) BETWEEN 1 AND 64),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX sandbox_login_codes_expires_at ON sandbox_login_codes (expires_at);

-- Down Migration
DROP TABLE sandbox_login_codes;

import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  it("has safe defaults: loopback, port 8787, SQLite in ./data, 90 days retention", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ HOST: "127.0.0.1", PORT: 8787, DATA_DIR: "./data", RETENTION_DAYS: 90, PUBLIC_URL: undefined });
  });

  it.each([
    [{ PORT: "abc" }, /^PORT must be a number/],
    [{ PORT: "70000" }, /^PORT must be between 0 and 65535/],
    [{ PORT: "1.5" }, /^PORT must be a whole number/],
    [{ PUBLIC_URL: "bridge.example.com" }, /^PUBLIC_URL must be an absolute http\(s\) URL/],
    [{ PUBLIC_URL: "ftp://bridge.example.com" }, /^PUBLIC_URL must start with http/],
    [{ RETENTION_DAYS: "0" }, /^RETENTION_DAYS must be above 0/],
    [{ RETENTION_DAYS: "-3" }, /^RETENTION_DAYS must be above 0/],
    [{ RETENTION_DAYS: "99999" }, /^RETENTION_DAYS must be at most 3650/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL .*"fatal".*"silent"/],
    [{ WORKER_CONCURRENCY: "0" }, /^WORKER_CONCURRENCY must be above 0/],
    [{ JOB_MAX_ATTEMPTS: "many" }, /^JOB_MAX_ATTEMPTS must be a number/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL must start with sqlite: or postgres:\/\//],
    [{ SECRET_KEY: "short" }, /^SECRET_KEY must be 32 bytes, base64-encoded/],
    [{ RACKBEAT_BASE_URL: "not a url" }, /^RACKBEAT_BASE_URL must be an absolute URL/],
  ])("refuses %j with a message naming the variable", (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("never echoes a secret value in its error", () => {
    const [problem] = problemsOf({ SECRET_KEY: "my-very-secret-value" });
    expect(problem).not.toContain("my-very-secret-value");
    expect(problem).toContain("[redacted]");
  });

  it("lists every problem at once", () => {
    expect(problemsOf({ PORT: "x", RETENTION_DAYS: "0" })).toHaveLength(2);
  });

  it("accepts a PUBLIC_URL and an explicit host", () => {
    const config = loadConfig({ PUBLIC_URL: "https://bridge.example.com", HOST: "0.0.0.0", PORT: "0" });
    expect(config).toMatchObject({ PUBLIC_URL: "https://bridge.example.com", HOST: "0.0.0.0", PORT: 0 });
  });
});

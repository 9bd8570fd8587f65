import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Encryption at rest for the secrets the store keeps (Rackbeat token, WooCommerce keys, shop
 * secrets): AES-256-GCM with a random IV per value. The stored form is `v1:<iv>:<tag>:<data>`
 * (base64), so a later key rotation can tell versions apart.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
    return new SecretBox(key);
  }

  /**
   * The key from SECRET_KEY when given, else from `keyFile`, made on first start with 0600
   * permissions. Back this file up with the database: without it the stored secrets are lost.
   */
  static load(options: { base64Key?: string | undefined; keyFile: string }): SecretBox {
    if (options.base64Key) return SecretBox.fromKey(Buffer.from(options.base64Key, "base64"));
    if (existsSync(options.keyFile)) {
      return SecretBox.fromKey(Buffer.from(readFileSync(options.keyFile, "utf8").trim(), "base64"));
    }
    mkdirSync(dirname(options.keyFile), { recursive: true });
    const key = randomBytes(32);
    writeFileSync(options.keyFile, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(options.keyFile, 0o600);
    return SecretBox.fromKey(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
  }

  /** Opened values by their sealed text (a sealed text always opens to the same value). */
  private readonly opened = new Map<string, string>();

  open(sealed: string): string {
    const known = this.opened.get(sealed);
    if (known !== undefined) return known;
    const plain = this.decrypt(sealed);
    if (this.opened.size >= 1_000) this.opened.clear();
    this.opened.set(sealed, plain);
    return plain;
  }

  private decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }
}

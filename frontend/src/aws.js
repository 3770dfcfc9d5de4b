// AWS from the browser: Cognito identity-pool credentials, S3 uploads with progress, SigV4-signed POSTs to the
// paint function URL (AuthType AWS_IAM). Imports come from the modular packages only: the umbrella
// @aws-sdk/credential-providers would pull Node's fs/crypto into the bundle.
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-browser';

export function connect(config) {
  // Locally every service is the one moto server; path-style because moto's host is an IP, not a DNS name.
  const endpoint = config.endpoint ? { endpoint: config.endpoint } : {};
  const credentials = fromCognitoIdentityPool({
    client: new CognitoIdentityClient({ region: config.region, ...endpoint }),
    identityPoolId: config.identityPoolId,
  });
  const s3 = new S3Client({
    region: config.region, credentials, ...endpoint, forcePathStyle: Boolean(config.endpoint),
    // The default CRC32 checksum streams the body through getReader(), which a browser File lacks.
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return new Aws(config, credentials, s3);
}

class Aws {
  constructor(config, credentials, s3) {
    this.config = config;
    this.credentials = credentials;
    this.s3 = s3;
  }

  /** The visitor's Cognito identity id: every key they write lies under it (the pool's IAM policy says so). */
  async identityId() {
    return (await this.credentials()).identityId;
  }

  /**
   * Upload a File or Blob to s3://bucket/key; onProgress(fraction 0..1). Multipart above 5 MB, so a 20 MB GIF
   * on a phone survives a dropped part.
   */
  async upload({ bucket, key, file, contentType, metadata = {}, onProgress = () => {} }) {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: bucket, Key: key, Body: file, ContentType: contentType, Metadata: metadata },
      queueSize: 2,
    });
    upload.on('httpUploadProgress', ({ loaded, total }) => {
      if (total) onProgress(Math.min(1, loaded / total));
    });
    await upload.done();
    onProgress(1);
    return key;
  }

  /** POST JSON to a Lambda function URL with SigV4 (service "lambda"); returns {status, body}. */
  async signedPost(url, payload) {
    const target = new URL(url, window.location.href);
    const body = JSON.stringify(payload);
    const signer = new SignatureV4({ credentials: this.credentials, region: this.config.region, service: 'lambda', sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST', protocol: target.protocol, hostname: target.hostname,
      port: target.port ? Number(target.port) : undefined, path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host: target.host, 'content-type': 'application/json' },
      body,
    });
    const headers = { ...signed.headers };
    delete headers.host; // the browser sets Host itself and refuses to let scripts send it
    const response = await fetch(target, { method: 'POST', headers, body });
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    return { status: response.status, body: answer };
  }
}

/** A key's random part: crypto.randomUUID where the page is a secure context, else 16 random bytes in hex. */
export function randomName() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

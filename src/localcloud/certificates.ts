import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * The local cloud's TLS material. MSAL refuses an http authority and the Graph client attaches no token to an
 * http base URL, so everything is served over HTTPS signed by a development CA that the test launcher and
 * `onboard dev` hand to Node through NODE_EXTRA_CA_CERTS.
 */
export interface CertificateAuthority {
  caCertPath: string;
  caKeyPath: string;
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-1 thumbprint, upper-case hex, as the Entra portal shows it. */
  thumbprint: string;
  /** Base64 DER, the form Graph's keyCredential.key takes. */
  derBase64: string;
}

const CA_CERT = 'ca-cert.pem';
const CA_KEY = 'ca-key.pem';
const SERVER_CERT = 'server-cert.pem';
const SERVER_KEY = 'server-key.pem';
const DAY = 24 * 60 * 60 * 1000;

function rsaKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Writes through a temporary file and a rename, so two jest workers racing never read half a PEM. */
function writeAtomically(path: string, content: string, mode: number): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, path);
}

function newCertificate(publicPem: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: the leading 0x01 keeps the two's-complement encoding from reading as negative.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + days * DAY);
  return cert;
}

/** Creates the dev CA under caDir on first use and returns it; later calls just read it back. Synchronous on purpose: the test launcher calls it before starting jest. */
export function ensureCertificateAuthority(caDir: string): CertificateAuthority {
  const caCertPath = join(caDir, CA_CERT);
  const caKeyPath = join(caDir, CA_KEY);
  if (existsSync(caCertPath) && existsSync(caKeyPath)) {
    const certPem = readFileSync(caCertPath, 'utf8');
    if (Date.parse(new X509Certificate(certPem).validTo) > Date.now() + 30 * DAY) {
      return { caCertPath, caKeyPath, certPem, keyPem: readFileSync(caKeyPath, 'utf8') };
    }
  }
  mkdirSync(caDir, { recursive: true });
  const keys = rsaKeyPair();
  const cert = newCertificate(keys.publicPem, 3650);
  const subject = [{ name: 'commonName', value: 'Onboard local cloud development CA' }, { name: 'organizationName', value: 'Onboard (local)' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  writeAtomically(caKeyPath, keys.privatePem, 0o600);
  writeAtomically(caCertPath, certPem, 0o644);
  return { caCertPath, caKeyPath, certPem, keyPem: keys.privatePem };
}

function serverCertificateUsable(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return cert.verify(new X509Certificate(caPem).publicKey) && Date.parse(cert.validTo) > Date.now() + 7 * DAY
      && (cert.subjectAltName ?? '').includes('DNS:localhost') && (cert.subjectAltName ?? '').includes('IP Address:127.0.0.1');
  } catch {
    return false;
  }
}

/**
 * A server certificate for `localhost` and `127.0.0.1`, signed by the CA and kept next to it, so that the many
 * local clouds a test run starts share one certificate instead of paying for an RSA key each.
 */
export function ensureServerCertificate(ca: CertificateAuthority, dir: string): ServerCertificate {
  const certPath = join(dir, SERVER_CERT);
  const keyPath = join(dir, SERVER_KEY);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    if (serverCertificateUsable(certPem, ca.certPem) && keyMatches(certPem, keyPem)) return { certPath, keyPath, certPem, keyPem };
  }
  mkdirSync(dir, { recursive: true });
  const keys = rsaKeyPair();
  // Browsers and Node reject leaf certificates valid for more than 398 days.
  const cert = newCertificate(keys.publicPem, 390);
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  // Key first: a reader that sees the new certificate must find its key already in place.
  writeAtomically(keyPath, keys.privatePem, 0o600);
  writeAtomically(certPath, certPem, 0o644);
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

function keyMatches(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** A self-signed client certificate, for apps that authenticate with a certificate instead of a secret. */
export function createSelfSignedCertificate(commonName: string, days = 365): SelfSignedCertificate {
  const keys = rsaKeyPair();
  const cert = newCertificate(keys.publicPem, days);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = new X509Certificate(certPem).raw;
  return { certPem, keyPem: keys.privatePem, thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(), derBase64: der.toString('base64') };
}

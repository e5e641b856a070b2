import { describe, expect, it } from 'vitest';
import { certificatesIn, countCertificates, parseUserTrust, trustBundle, type TrustList } from '../../src/evidence/trust.ts';

// "MII…" is how the base64 of every DER certificate starts (a SEQUENCE with a two-byte length).
const cert = (body: string) => `-----BEGIN CERTIFICATE-----\nMIIB${body}\n-----END CERTIFICATE-----`;
const KEY = '-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----';

describe('trust lists', () => {
  it('keeps only certificate blocks from an imported file (never a key or comments)', () => {
    const pem = `# comment\n${cert('AAA')}\n${KEY}\n${cert('BBB')}\n`;
    expect(countCertificates(pem)).toBe(2);
    expect(certificatesIn(pem)).toBe(`${cert('AAA')}\n${cert('BBB')}`);
    expect(certificatesIn(pem)).not.toContain('PRIVATE');
  });

  it('drops blocks that are not base64 of a DER certificate', () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----';
    const notDer = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    expect(certificatesIn(`${damaged}\n${notDer}\n${cert('AAA')}`)).toBe(cert('AAA'));
  });

  it('joins lists by role; with no certificate at all there is no bundle ("not checked")', () => {
    const lists: TrustList[] = [
      { name: 'a.pem', role: 'anchors', text: cert('A') },
      { name: 'b.pem', role: 'anchors', text: cert('B') },
      { name: 'allowed.pem', role: 'allowed', text: cert('C') },
      { name: 'store.cfg', role: 'config', text: '1.3.6.1.5.5.7.3.4' },
    ];
    expect(trustBundle(lists)).toEqual({ anchors: `${cert('A')}\n${cert('B')}`, allowed: cert('C'), config: '1.3.6.1.5.5.7.3.4' });
    expect(trustBundle([])).toBeUndefined();
    expect(trustBundle([{ name: 'empty.pem', role: 'anchors', text: 'no certificate here' }])).toBeUndefined();
  });

  it('reads whatever storage holds as valid user lists', () => {
    expect(parseUserTrust(undefined)).toEqual([]);
    expect(parseUserTrust([{ name: 'x.pem', text: cert('X') }, { name: 'junk', text: 'nothing' }, 7, null])).toEqual([
      { name: 'x.pem', role: 'anchors', text: cert('X') },
    ]);
  });
});

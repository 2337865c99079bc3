/**
 * A small ledger world for tests, examples and `bantam ledger` demos: a center, registered
 * parties with their keys, and a typical chain. The protocol's real registration (eqs. (2)–(13),
 * with the party's own checks (5), (9), (13)) lives in src/model; this fixture only produces key
 * material of the same shape (R_X = r·P, S_X = r + H1(ID_X, R_X)·s, PK_X = S_X·P) so the ledger
 * can be exercised on its own.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { createLedger, hains, hbins, mrins, ptins, ptlink, type Signer } from './contracts.js';
import type { Ledger } from './tx.js';

export interface Party {
  id: string;
  R: Point;
  signer: Signer;
}

export interface World {
  cs: CryptoSuite;
  rng: Rng;
  center: Signer;
  /** Key material for `id`, issued by this world's center (not yet on any ledger). */
  party(id: string): Party;
}

export function makeWorld(cs: CryptoSuite, rng: Rng, centerId = 'CENTER'): World {
  const s = cs.randomScalar(rng);
  const center: Signer = { id: centerId, secret: s, publicKey: cs.mulG(s) };
  return {
    cs,
    rng,
    center,
    party(id: string): Party {
      const r = cs.randomScalar(rng);
      const R = cs.mulG(r);
      const S = cs.addMod(r, cs.mulMod(cs.H1(utf8(id), R), s));
      return { id, R, signer: { id, secret: S, publicKey: cs.mulG(S) } };
    },
  };
}

/**
 * The chain of one initial treatment and one inter-hospital visit (§3.4–3.7): register PAT-1, HPA,
 * HPB; HPA records DX-A1 and maps it to the patient; HPB records DX-B1 and maps it.
 */
export function demoLedger(w: World): { ledger: Ledger; patient: Party; ha: Party; hb: Party } {
  const { cs, rng, center } = w;
  const patient = w.party('PAT-1');
  const ha = w.party('HPA');
  const hb = w.party('HPB');
  let l = createLedger(cs, center.publicKey, { centerId: center.id });
  l = ptins(l, cs, rng, center, { patientId: patient.id, detail: 'patient mobile device', R: patient.R });
  l = hains(l, cs, rng, center, { hospitalId: ha.id, detail: 'hospital A medical device', R: ha.R });
  l = hbins(l, cs, rng, center, { hospitalId: hb.id, detail: 'hospital B medical device', R: hb.R });
  l = mrins(l, cs, rng, ha.signer, { diagnosisId: 'DX-A1', patientId: patient.id, hospitalId: ha.id, diagnosis: 'initial diagnosis', recordDigest: cs.digest(utf8('EMR at HPA')) });
  l = ptlink(l, cs, rng, ha.signer, { patientId: patient.id, diagnosisId: 'DX-A1' });
  l = mrins(l, cs, rng, hb.signer, { diagnosisId: 'DX-B1', patientId: patient.id, hospitalId: hb.id, diagnosis: 'extended treatment', recordDigest: cs.digest(utf8('EMR at HPB')) });
  l = ptlink(l, cs, rng, hb.signer, { patientId: patient.id, diagnosisId: 'DX-B1' });
  return { ledger: l, patient, ha, hb };
}

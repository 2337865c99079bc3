/**
 * Attack 1 found by bantam's generic Dolev–Yao attacker (bantam claims spec/emr-flow.ban --seed 1 --suite secp256k1):
 *   agreement HA with P on ID_HPB, ID_PAT in inter  — REFUTED
 *   violated: s2 (HPA as HA with P = PAT-1, HB = Attacker, BC = CENTER) accepted, but no session of P run by PAT-1 with HA = HPA holds the same ID_HPB, ID_PAT
 *
 * The trace, as bantam printed it:
 * prior phases, run honestly before the search (part of the bound): setup (BC = CENTER); registration-patient (P = PAT-1, BC = CENTER); registration-hpa (HA = HPA, BC = CENTER); registration-hpb (HB = HPB, BC = CENTER); initial (P = PAT-1, HA = HPA, BC = CENTER); registration-hpb (HB = Attacker, BC = CENTER)
 * start session s1: Attacker as HB in inter with P = PAT-1, HA = HPA, BC = CENTER
 * start session s2: HPA as HA in inter with P = PAT-1, HB = Attacker, BC = CENTER
 * inter.1: attacker (as PAT-1) → Attacker [s1]: ID_PAT = PAT-1#0, R_PAT = R_PAT#14, T_PAT2 = PK@CENTER#4
 *     Attacker [s1] continues
 *     attacker learns d#27 = a468ec450fc573cc… — d of Attacker's own session s1
 *     attacker learns T_HPB#28 = 03ffed22b52ddc3a… — T_HPB of Attacker's own session s1
 *     attacker learns PK_PAT#29 = 0276d11277a047f7… — PK_PAT of Attacker's own session s1
 *     attacker learns K_BP1#30 = 0355f8c01565cf9f… — K_BP1 of Attacker's own session s1
 *     attacker learns K_BP2#31 = 02556f8b9d4bdd67… — K_BP2 of Attacker's own session s1
 *     attacker learns SEK_BP#32 = 93e0aea3096b1e98… — SEK_BP of Attacker's own session s1
 *     attacker learns CHK_PB#33 = 44e8f21240fcc28f… — CHK_PB of Attacker's own session s1
 *     envelope #111 inter.2: Attacker → PAT-1 (session s1, 108 bytes)
 *     attacker learns CHK_PB#34 = 44e8f21240fcc28f… — envelope #111 (inter.2.CHK_PB) re-read as a scalar (type confusion: the encoding accepts it)
 * inter.3: attacker (as PAT-1) → Attacker [s1]: ID_PAT = PAT-1#0, c_PAT2 = enc(SEK_BP#32, visit(PAT-1#0, "cough persists after two weeks", index@ledger#13)), CHK_BP = H3(SEK_BP#32, T_HPB#28)
 *     Attacker [s1] continues
 *     attacker learns c_PAT2#35 = b0df2f7bf47cd1e8… — c_PAT2 of Attacker's own session s1
 *     attacker learns CHK_BP#36 = d7b43050dcac9951… — CHK_BP of Attacker's own session s1
 *     attacker learns message#37 = 0000001362616e74… — message of Attacker's own session s1
 *     attacker learns complaint#38 = 636f756768207065… — complaint of Attacker's own session s1
 *     attacker learns diagnosis#39 = HPA-D1 — diagnosis of Attacker's own session s1
 *     attacker learns e#40 = b00078febc9fbf21… — e of Attacker's own session s1
 *     attacker learns T_HPB2#41 = 0295830c62b4ef0b… — T_HPB2 of Attacker's own session s1
 *     envelope #120 inter.5: Attacker → HPA (session s1, 76 bytes)
 * inter.5: attacker → HPA [s2]: ID_HPB = Attacker#5, R_HPB = R_HPB@Attacker#8, T_HPB2 = T_HPB2#41
 *     HPA [s2] continues
 *     envelope #130 inter.6: HPA → Attacker (session s2, 103 bytes)
 *     attacker learns T_HPA2#42 = 02ded7c0c2b383d5… — observed in envelope #130 (inter.6.T_HPA2, HPA → Attacker)
 *     attacker learns CHK_BA#43 = fe432ee6f98ea095… — observed in envelope #130 (inter.6.CHK_BA, HPA → Attacker)
 *     attacker learns CHK_BA#44 = fe432ee6f98ea095… — envelope #130 (inter.6.CHK_BA) re-read as a scalar (type confusion: the encoding accepts it)
 * inter.6: attacker (as HPA) → Attacker [s1]: ID_HPA = HPA#1, R_HPA = R_HPA#16, T_HPA2 = T_HPA2#42, CHK_BA = H3(H2(padd(mul(S_HPB@Attacker#9, the T_HPA2 sent), mul(e#40, padd(the R_HPA sent, mul(H1(HPA#1, the R_HPA sent), PK@CENTER#4)))), mul(e#40, the T_HPA2 sent)), T_HPB2#41)
 *     Attacker [s1] continues
 *     attacker learns PK_HPA#45 = 0321a573d2c752b2… — PK_HPA of Attacker's own session s1
 *     attacker learns K_BA1#46 = 03750b26166e49e6… — K_BA1 of Attacker's own session s1
 *     attacker learns K_BA2#47 = 037c252f87767597… — K_BA2 of Attacker's own session s1
 *     attacker learns SEK_AB#48 = d4c06a0f5b9bc262… — SEK_AB of Attacker's own session s1
 *     attacker learns request#49 = 0000001c62616e74… — request of Attacker's own session s1
 *     attacker learns c_HPB#50 = 4e8f960a7df6861a… — c_HPB of Attacker's own session s1
 *     attacker learns CHK_AB#51 = d3cbc17b53771a92… — CHK_AB of Attacker's own session s1
 *     envelope #141 inter.7: Attacker → HPA (session s1, 139 bytes)
 *     attacker learns c_HPB#52 = 4e8f960a7df6861a… — envelope #141 (inter.7.c_HPB) re-read as a bytes (type confusion: the encoding accepts it)
 *     attacker learns CHK_AB#53 = d3cbc17b53771a92… — envelope #141 (inter.7.CHK_AB) re-read as a scalar (type confusion: the encoding accepts it)
 * inter.7: attacker → HPA [s2]: ID_HPB = Attacker#5, c_HPB = c_HPB#50, CHK_AB = CHK_AB#51
 *     HPA [s2] ACCEPTS (HA = HPA, P = PAT-1, HB = Attacker, BC = CENTER)
 *     envelope #150 inter.8: HPA → Attacker (session s2, 287 bytes)
 *     attacker learns c_HPA2#54 = 7f892aeae540eed0… — observed in envelope #150 (inter.8.c_HPA2, HPA → Attacker)
 *     attacker learns Sig_HPA2#55 = 4260f002924fdb15… — observed in envelope #150 (inter.8.Sig_HPA2, HPA → Attacker)
 *     attacker learns c_HPA2#56 = 7f892aeae540eed0… — envelope #150 (inter.8.c_HPA2) re-read as a bytes (type confusion: the encoding accepts it)
 *     attacker learns EMR#57 = 0000000d62616e74… — dec(SEK_AB#48, c_HPA2#54) as in 'EMR = D_SEK_AB(c_HPA2)'
 *
 * This test replays the recorded scenario on real crypto through bantam's public API and asserts
 * that the query is still violated. It fails once the protocol is fixed. BANTAM_SPEC=path runs it
 * against another spec (e.g. the fixed one) without editing this file.
 */
import { expect, test } from 'vitest';
import { attacker, getSuite, loadExecutable } from "../../../src/index.js";

const SPEC = process.env.BANTAM_SPEC ?? "spec/emr-flow.ban";
const QUERY = "agreement HA with P on ID_HPB, ID_PAT in inter";
const SUITE = "secp256k1";
const SEED = "1";
const SCENARIO: attacker.Scenario = {
  "config": [
    {
      "phase": "inter",
      "role": "HB",
      "binding": {
        "HB": "Attacker",
        "P": "PAT-1",
        "HA": "HPA",
        "BC": "CENTER"
      }
    },
    {
      "phase": "inter",
      "role": "HA",
      "binding": {
        "HA": "HPA",
        "P": "PAT-1",
        "HB": "Attacker",
        "BC": "CENTER"
      }
    }
  ],
  "moves": [
    {
      "session": 0,
      "step": "inter.1",
      "fields": [
        {
          "name": "ID_PAT",
          "recipe": {
            "kind": "known",
            "item": 0
          }
        },
        {
          "name": "R_PAT",
          "recipe": {
            "kind": "known",
            "item": 14
          }
        },
        {
          "name": "T_PAT2",
          "recipe": {
            "kind": "known",
            "item": 4
          }
        }
      ]
    },
    {
      "session": 0,
      "step": "inter.3",
      "fields": [
        {
          "name": "ID_PAT",
          "recipe": {
            "kind": "known",
            "item": 0
          }
        },
        {
          "name": "c_PAT2",
          "recipe": {
            "kind": "build",
            "prim": "enc",
            "key": 32,
            "plain": {
              "forge": "visit",
              "env": true,
              "args": [
                {
                  "plain": 0,
                  "sort": {
                    "kind": "base",
                    "name": "id"
                  }
                },
                {
                  "lit": "cough persists after two weeks",
                  "sort": {
                    "kind": "base",
                    "name": "bytes"
                  }
                },
                {
                  "plain": 13,
                  "sort": {
                    "kind": "base",
                    "name": "bytes"
                  }
                }
              ],
              "sort": {
                "kind": "base",
                "name": "bytes"
              }
            },
            "plainSort": {
              "kind": "base",
              "name": "bytes"
            },
            "sort": {
              "kind": "base",
              "name": "ciphertext"
            },
            "ad": "inter.3"
          }
        },
        {
          "name": "CHK_BP",
          "recipe": {
            "kind": "forge",
            "forge": {
              "forge": "H3",
              "args": [
                {
                  "plain": 32,
                  "sort": {
                    "kind": "base",
                    "name": "key"
                  }
                },
                {
                  "plain": 28,
                  "sort": {
                    "kind": "base",
                    "name": "point"
                  }
                }
              ],
              "sort": {
                "kind": "base",
                "name": "hash"
              }
            }
          }
        }
      ]
    },
    {
      "session": 1,
      "step": "inter.5",
      "fields": [
        {
          "name": "ID_HPB",
          "recipe": {
            "kind": "known",
            "item": 5
          }
        },
        {
          "name": "R_HPB",
          "recipe": {
            "kind": "known",
            "item": 8
          }
        },
        {
          "name": "T_HPB2",
          "recipe": {
            "kind": "known",
            "item": 41
          }
        }
      ]
    },
    {
      "session": 0,
      "step": "inter.6",
      "fields": [
        {
          "name": "ID_HPA",
          "recipe": {
            "kind": "known",
            "item": 1
          }
        },
        {
          "name": "R_HPA",
          "recipe": {
            "kind": "known",
            "item": 16
          }
        },
        {
          "name": "T_HPA2",
          "recipe": {
            "kind": "known",
            "item": 42
          }
        },
        {
          "name": "CHK_BA",
          "recipe": {
            "kind": "forge",
            "forge": {
              "forge": "H3",
              "args": [
                {
                  "plain": {
                    "forge": "H2",
                    "args": [
                      {
                        "plain": {
                          "forge": "padd",
                          "args": [
                            {
                              "plain": {
                                "forge": "mul",
                                "args": [
                                  {
                                    "plain": 9,
                                    "sort": {
                                      "kind": "base",
                                      "name": "scalar"
                                    }
                                  },
                                  {
                                    "plain": {
                                      "field": "T_HPA2"
                                    },
                                    "sort": {
                                      "kind": "base",
                                      "name": "point"
                                    }
                                  }
                                ],
                                "sort": {
                                  "kind": "base",
                                  "name": "point"
                                }
                              },
                              "sort": {
                                "kind": "base",
                                "name": "point"
                              }
                            },
                            {
                              "plain": {
                                "forge": "mul",
                                "args": [
                                  {
                                    "plain": 40,
                                    "sort": {
                                      "kind": "base",
                                      "name": "scalar"
                                    }
                                  },
                                  {
                                    "plain": {
                                      "forge": "padd",
                                      "args": [
                                        {
                                          "plain": {
                                            "field": "R_HPA"
                                          },
                                          "sort": {
                                            "kind": "base",
                                            "name": "point"
                                          }
                                        },
                                        {
                                          "plain": {
                                            "forge": "mul",
                                            "args": [
                                              {
                                                "plain": {
                                                  "forge": "H1",
                                                  "args": [
                                                    {
                                                      "plain": 1,
                                                      "sort": {
                                                        "kind": "base",
                                                        "name": "id"
                                                      }
                                                    },
                                                    {
                                                      "plain": {
                                                        "field": "R_HPA"
                                                      },
                                                      "sort": {
                                                        "kind": "base",
                                                        "name": "point"
                                                      }
                                                    }
                                                  ],
                                                  "sort": {
                                                    "kind": "base",
                                                    "name": "scalar"
                                                  }
                                                },
                                                "sort": {
                                                  "kind": "base",
                                                  "name": "scalar"
                                                }
                                              },
                                              {
                                                "plain": 4,
                                                "sort": {
                                                  "kind": "base",
                                                  "name": "point"
                                                }
                                              }
                                            ],
                                            "sort": {
                                              "kind": "base",
                                              "name": "point"
                                            }
                                          },
                                          "sort": {
                                            "kind": "base",
                                            "name": "point"
                                          }
                                        }
                                      ],
                                      "sort": {
                                        "kind": "base",
                                        "name": "point"
                                      }
                                    },
                                    "sort": {
                                      "kind": "base",
                                      "name": "point"
                                    }
                                  }
                                ],
                                "sort": {
                                  "kind": "base",
                                  "name": "point"
                                }
                              },
                              "sort": {
                                "kind": "base",
                                "name": "point"
                              }
                            }
                          ],
                          "sort": {
                            "kind": "base",
                            "name": "point"
                          }
                        },
                        "sort": {
                          "kind": "base",
                          "name": "point"
                        }
                      },
                      {
                        "plain": {
                          "forge": "mul",
                          "args": [
                            {
                              "plain": 40,
                              "sort": {
                                "kind": "base",
                                "name": "scalar"
                              }
                            },
                            {
                              "plain": {
                                "field": "T_HPA2"
                              },
                              "sort": {
                                "kind": "base",
                                "name": "point"
                              }
                            }
                          ],
                          "sort": {
                            "kind": "base",
                            "name": "point"
                          }
                        },
                        "sort": {
                          "kind": "base",
                          "name": "point"
                        }
                      }
                    ],
                    "sort": {
                      "kind": "base",
                      "name": "key"
                    }
                  },
                  "sort": {
                    "kind": "base",
                    "name": "key"
                  }
                },
                {
                  "plain": 41,
                  "sort": {
                    "kind": "base",
                    "name": "point"
                  }
                }
              ],
              "sort": {
                "kind": "base",
                "name": "hash"
              }
            }
          }
        }
      ]
    },
    {
      "session": 1,
      "step": "inter.7",
      "fields": [
        {
          "name": "ID_HPB",
          "recipe": {
            "kind": "known",
            "item": 5
          }
        },
        {
          "name": "c_HPB",
          "recipe": {
            "kind": "known",
            "item": 50
          }
        },
        {
          "name": "CHK_AB",
          "recipe": {
            "kind": "known",
            "item": 51
          }
        }
      ]
    }
  ]
};

test("attack 1: agreement HA with P on ID_HPB, ID_PAT in inter is violated (replayed on real crypto)", () => {
  const { spec, protocol } = loadExecutable(SPEC);
  const query = attacker.queriesOf(spec, protocol).find((q) => q.text === QUERY);
  expect(query, `${SPEC} has no query '${QUERY}'`).toBeDefined();
  // the query's compromise events (revealed before, or in an earlier session), as in the search
  const ctx = attacker.withCompromise(attacker.attackContext(protocol, getSuite(SUITE), SEED), query!.reveals ?? []);
  const run = attacker.execute(ctx, SCENARIO);
  expect(attacker.judgeQuery(ctx, query!, run).violated).toBe(true);
});

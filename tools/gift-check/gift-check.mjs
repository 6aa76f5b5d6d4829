// A second, independent GIFT reader for sgquiz's tests: reads each GIFT file named on the command
// line with the gift-pegjs parser (https://github.com/fuhrmanator/GIFT-grammar-PEG.js) and prints
// one JSON document: for each file, its questions in a plain shape, or the parser's error.
//
//   node tools/gift-check/gift-check.mjs FILE...
//
// Exits 1 if any file cannot be parsed, 2 on a usage error.

import { readFileSync } from "node:fs";
import gift from "gift-pegjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node gift-check.mjs FILE...");
  process.exit(2);
}

const text = (t) => (t == null ? "" : t.text);

function question(q) {
  const out = { type: q.type, title: q.title ?? null };
  if (q.type === "Category") return out;
  out.prompt = text(q.stem);
  out.format = q.stem ? q.stem.format : null;
  out.general = text(q.globalFeedback);
  switch (q.type) {
    case "MC":
    case "Short":
      out.choices = q.choices.map((c) => ({
        text: text(c.text),
        correct: c.isCorrect,
        weight: c.weight,
        feedback: text(c.feedback),
      }));
      break;
    case "TF":
      out.answer = q.isTrue;
      break;
    case "Numerical": {
      const list = Array.isArray(q.choices) ? q.choices : [{ isCorrect: true, weight: null, text: q.choices }];
      out.choices = list.map((c) => ({
        correct: c.isCorrect,
        weight: c.weight,
        kind: c.text.type,
        number: c.text.number ?? null,
        range: c.text.range ?? null,
        high: c.text.numberHigh ?? null,
        low: c.text.numberLow ?? null,
      }));
      break;
    }
    case "Matching":
      // gift-pegjs leaves its stand-in for an escaped `#` (`&&035;`) in a pair's answer, where
      // Moodle restores the `#`; restore it here so that the rest is compared.
      out.pairs = q.matchPairs.map((p) => [text(p.subquestion), p.subanswer.replaceAll("&&035;", "#")]);
      break;
    default:
      break;
  }
  return out;
}

let failed = false;
const report = files.map((file) => {
  try {
    return { file, questions: gift.parse(readFileSync(file, "utf8")).map(question) };
  } catch (e) {
    failed = true;
    const at = e.location ? ` at line ${e.location.start.line}, column ${e.location.start.column}` : "";
    return { file, error: `${e.message}${at}` };
  }
});
console.log(JSON.stringify(report, null, 1));
process.exitCode = failed ? 1 : 0;

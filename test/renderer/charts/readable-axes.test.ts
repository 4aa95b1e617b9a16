import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cdfLine, fitAxis } from '../../../renderer/src/charts/walks';
import { decadeCeil, niceCeil } from '../../../renderer/src/charts/scale';
import {
  boundExtent,
  boundSteps,
  lowerScale,
  systemGrids,
  wantsLog,
} from '../../../renderer/src/charts/system';
import { colorBarLabels, LABEL_H } from '../../../renderer/src/charts/heatmap';

describe('charts that never hide the number (issue 12 items 5, 6, 11)', () => {
  it('fitAxis: linear around a narrow span (654..713 ms), log over decades', () => {
    const a = fitAxis(654e6, 713e6);
    assert.equal(a.type, 'value');
    assert.ok(a.min <= 654e6 && a.min > 640e6, `min ${a.min}`);
    assert.ok(a.max >= 713e6 && a.max < 730e6, `max ${a.max}`);
    // The data fill over 85 % of the axis (it filled 5 % of a 100 ms..1 s log axis).
    assert.ok((713e6 - 654e6) / (a.max - a.min) > 0.85);
    const b = fitAxis(500, 4e6);
    assert.equal(b.type, 'log');
    assert.ok(b.min < 500 && b.max > 4e6 && b.max < 1e7);
    assert.deepEqual(fitAxis(700, 700).type, 'value');
    assert.ok(fitAxis(700, 700).max > 700 && fitAxis(700, 700).min < 700);
    // One walk time only: a step from 0 to 1 at 670 ns (two points, drawable).
    assert.deepEqual(cdfLine([[670, 1]]), [
      [670, 0],
      [670, 1],
    ]);
    assert.deepEqual(cdfLine([]), []);
  });

  it('niceCeil / decadeCeil: round tops, never the data value itself', () => {
    assert.equal(niceCeil(4.19e6 * 1.02), 5e6);
    assert.equal(niceCeil(128), 150);
    assert.equal(niceCeil(100), 100);
    assert.equal(niceCeil(0), 1);
    assert.equal(decadeCeil(4.19e6), 1e7);
    assert.equal(decadeCeil(3), 10);
  });

  const cols = {
    t0Ns: 0,
    t1Ns: 400,
    pixels: 4,
    tNs: [0, 100, 200, 300],
    h: [0, 4_194_304, 4_194_304, 4_194_304],
    bound: [37_577, 37_577, 37_577, 37_577],
    boundMin: [128, 37_577, 37_577, 37_577],
    online: [112, 112, 112, 112],
  };

  it('the bound steps from each column’s minimum to its end value; the extent is the toolbar’s', () => {
    assert.deepEqual(boundSteps(cols), [
      [0, 128],
      [50, 37_577],
      [100, 37_577],
      [200, 37_577],
      [300, 37_577],
      [400, 37_577],
    ]);
    assert.deepEqual(boundExtent(cols), [128, 37_577]);
    assert.equal(wantsLog(cols), true, 'H = 4.19M over a bound from 128: log y');
    assert.equal(wantsLog({ ...cols, h: [0, 1000, 1000, 1000] }), false);
    assert.deepEqual(
      boundSteps({ ...cols, boundMin: [0, 1, 1, 1], bound: [1, 1, 1, 1] }, true)[0],
      [0, null],
    );
  });

  it('two aligned panels: same left / right margins, the lower one below the upper', () => {
    const [up, low] = systemGrids(260);
    assert.equal(up.left, low.left);
    assert.equal(up.right, low.right);
    assert.equal(up.top, 28);
    assert.ok(low.top > up.top + up.height, 'a gap between the panels');
    assert.equal(
      low.top + low.height,
      260 - 28,
      'the lower panel ends at the shared bottom margin',
    );
    // Its scale: three integer labels on a round top (0 / 75 / 150 for 112 or 128 pCPUs).
    assert.deepEqual(lowerScale([112, 128]), { max: 150, interval: 75 });
    assert.deepEqual(lowerScale([16]), { max: 20, interval: 10 });
    assert.deepEqual(lowerScale([1]), { max: 4, interval: 2 });
  });

  it('colour bar labels never overlap, wherever the bound sits', () => {
    for (const by of [28, 30, 60, 120, 200, 251, 256]) {
      const ls = colorBarLabels(28, 228, by, '37.6k', '37.6k');
      assert.ok(ls.some((l) => l.kind === 'bound'));
      const spans = ls.map((l) => [l.y, l.y + l.lines * LABEL_H]);
      for (let i = 0; i < spans.length; i++)
        for (let j = i + 1; j < spans.length; j++)
          assert.ok(
            spans[i][1] <= spans[j][0] || spans[j][1] <= spans[i][0],
            `bound at ${by}: ${JSON.stringify(ls)}`,
          );
    }
    // The bound at the top of the scale: its label names the top (no second "37.6k").
    const top = colorBarLabels(28, 228, 28, '37.6k', '37.6k');
    assert.deepEqual(
      top.map((l) => l.kind),
      ['bound', 'zero'],
    );
  });
});

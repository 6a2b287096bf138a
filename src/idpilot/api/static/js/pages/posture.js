// Posture: the score by area as a bar chart (SVG drawn here) and the assessment's answer
// with its prioritized findings.

import { getJSON } from "../api.js";
import { answerCard } from "../answer.js";
import { clear, failure, loading, visible } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW = 28;
const LABEL = 190;
const BAR = 360;
const WIDTH = LABEL + BAR + 130;

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = visible(text);
  return node;
}

function band(score) {
  return score >= 75 ? "good" : score >= 40 ? "fair" : "poor";
}

/** A horizontal bar chart of each area's score (0-100), with a text alternative. */
export function areaChart(areas) {
  const height = areas.length * ROW + 10;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height,
    role: "img", "aria-labelledby": "chart-title chart-desc", class: "chart" });
  chart.append(svg("desc", { id: "chart-desc" },
    areas.map((a) => `${a.area.replaceAll("_", " ")} ${a.score}`).join("; ")));
  areas.forEach((area, index) => {
    const y = index * ROW + 5;
    const name = area.area.replaceAll("_", " ");
    chart.append(svg("text", { x: LABEL - 8, y: y + 17, class: "chart-label", "text-anchor": "end" }, name));
    chart.append(svg("rect", { x: LABEL, y: y + 4, width: BAR, height: ROW - 10, class: "chart-track", rx: 3 }));
    chart.append(svg("rect", { x: LABEL, y: y + 4, width: Math.max(2, (BAR * area.score) / 100),
      height: ROW - 10, rx: 3, class: `chart-bar ${band(area.score)}` },
    ));
    chart.append(svg("text", { x: LABEL + BAR + 8, y: y + 17, class: "chart-value" },
      `${area.score} (${area.failed} failed)`));
  });
  return chart;
}

/** Fill the Posture page. */
export async function showPosture() {
  const chart = clear(document.getElementById("posture-chart"));
  const body = clear(document.getElementById("posture-body"));
  chart.append(loading("the score by area"));
  body.append(loading("the assessment"));
  const [areas, answer] = await Promise.allSettled([
    getJSON("/api/posture/areas"), getJSON("/api/posture")]);
  clear(chart).append(areas.status === "fulfilled" ? areaChart(areas.value) : failure(areas.reason));
  clear(body).append(answer.status === "fulfilled" ? answerCard(answer.value) : failure(answer.reason));
}

// Bulwark console: progressive enhancement only. Every page works without this file; with it, the trend
// chart is drawn (uPlot, served by Bulwark) and copy buttons appear.
(() => {
  function drawTrend(box) {
    var source = document.getElementById(box.getAttribute("data-series"));
    if (!source || typeof window.uPlot !== "function") return;
    var d = JSON.parse(source.textContent || "{}");
    var xs = d.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    var width = () => Math.max(280, box.clientWidth);
    var opts = {
      width: width(),
      height: 260,
      scales: { score: { range: [0, 100] } },
      axes: [
        {},
        { scale: "score", label: "score" },
        { scale: "count", side: 1, label: "open", grid: { show: false } },
      ],
      series: [
        {},
        { label: "Score", scale: "score", stroke: "#116329", width: 2 },
        { label: "Critical", scale: "count", stroke: "#a40e26", width: 1.5 },
        { label: "High", scale: "count", stroke: "#953800", width: 1.5, dash: [6, 4] },
      ],
    };
    var chart = new window.uPlot(opts, [xs, d.score, d.critical, d.high], box);
    box.setAttribute("data-drawn", "true");
    window.addEventListener("resize", () => {
      chart.setSize({ width: width(), height: 260 });
    });
  }

  function enableCopy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(target.textContent || "").then(() => {
        button.textContent = "Copied";
        setTimeout(() => {
          button.textContent = "Copy";
        }, 1500);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".chart-box[data-series]").forEach(drawTrend);
    document.querySelectorAll("button.copy[data-copy]").forEach(enableCopy);
  });
})();

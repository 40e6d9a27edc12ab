/* Cockpit charts: reads the figures from <script id="cockpit-data" type="application/json"> (json_script)
 * and draws one ECharts chart per [data-figure] element. No inline script (CSP: script-src 'self');
 * every visible string arrives translated in data.labels or in the figures themselves.
 * Money arrives as exact decimal strings in yuan; it is scaled to 亿元/万元 only for drawing. */
(function () {
  "use strict";

  var PALETTE = ["#0b5c8a", "#f0a500", "#1f7a3a", "#7a4ea3", "#b3261e", "#3a8fb7", "#8a6d0b", "#5b6673"];

  function init() {
    var node = document.getElementById("cockpit-data");
    if (!node || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var L = data.labels;
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    function num(value) {
      return value === null || value === undefined ? null : Number(value);
    }

    /* The unit that keeps the largest amount readable: 亿元 from 100 million, 万元 from 10 thousand. */
    function moneyUnit(values) {
      var max = 0;
      values.forEach(function (v) {
        max = Math.max(max, Math.abs(num(v) || 0));
      });
      if (max >= 1e8) {
        return { div: 1e8, label: L.yi };
      }
      if (max >= 1e4) {
        return { div: 1e4, label: L.wan };
      }
      return { div: 1, label: L.yuan };
    }

    function scale(values, unit) {
      return values.map(function (v) {
        return v === null || v === undefined ? null : Math.round((num(v) / unit.div) * 100) / 100;
      });
    }

    function pct(v) {
      return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%";
    }

    function money(unit) {
      return function (v) {
        return v === null || v === undefined ? "—" : v.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + unit.label;
      };
    }

    function count(v) {
      return v === null || v === undefined ? "—" : v.toLocaleString("zh-CN") + L.count_unit;
    }

    function persons(v) {
      return v === null || v === undefined ? "—" : v.toLocaleString("zh-CN") + L.person_unit;
    }

    function pluck(rows, key) {
      return rows.map(function (row) {
        return row[key];
      });
    }

    function base() {
      return {
        color: PALETTE,
        animation: !reduceMotion,
        textStyle: { fontFamily: "inherit" },
        grid: { left: 56, right: 56, top: 48, bottom: 36, containLabel: true },
        tooltip: { trigger: "axis", confine: true },
        legend: { top: 0 }
      };
    }

    /* A bar of counts and a bar of revenue side by side, on two value axes. */
    function countAndRevenue(rows) {
      var unit = moneyUnit(pluck(rows, "revenue_yuan"));
      var option = base();
      option.xAxis = { type: "category", data: pluck(rows, "name"), axisLabel: { interval: 0, width: 110, overflow: "break" } };
      option.yAxis = [
        { type: "value", name: L.enterprises + "(" + L.count_unit + ")", minInterval: 1 },
        { type: "value", name: L.revenue + "(" + unit.label + ")", splitLine: { show: false } }
      ];
      option.series = [
        { name: L.enterprises, type: "bar", data: pluck(rows, "enterprises"), tooltip: { valueFormatter: count } },
        { name: L.revenue, type: "bar", yAxisIndex: 1, data: scale(pluck(rows, "revenue_yuan"), unit), tooltip: { valueFormatter: money(unit) } }
      ];
      return option;
    }

    var builders = {
      revenue_by_year: function (rows) {
        var unit = moneyUnit(pluck(rows, "revenue_yuan"));
        var option = base();
        option.xAxis = { type: "category", data: pluck(rows, "year").map(String) };
        option.yAxis = [
          { type: "value", name: L.revenue + "(" + unit.label + ")" },
          { type: "value", name: L.growth, axisLabel: { formatter: pct }, splitLine: { show: false } }
        ];
        option.series = [
          { name: L.revenue, type: "bar", data: scale(pluck(rows, "revenue_yuan"), unit), tooltip: { valueFormatter: money(unit) } },
          { name: L.growth, type: "line", yAxisIndex: 1, data: pluck(rows, "growth"), connectNulls: false, tooltip: { valueFormatter: pct } }
        ];
        return option;
      },

      enterprises_by_year: function (rows) {
        var option = base();
        option.xAxis = { type: "category", data: pluck(rows, "year").map(String) };
        option.yAxis = [
          { type: "value", name: L.enterprises + "(" + L.count_unit + ")", minInterval: 1 },
          { type: "value", name: L.growth, axisLabel: { formatter: pct }, splitLine: { show: false } }
        ];
        option.series = [
          { name: L.enterprises, type: "bar", data: pluck(rows, "enterprises"), tooltip: { valueFormatter: count } },
          { name: L.growth, type: "line", yAxisIndex: 1, data: pluck(rows, "growth"), tooltip: { valueFormatter: pct } }
        ];
        return option;
      },

      by_cluster: countAndRevenue,
      by_park: countAndRevenue,

      key_enterprises_by_year: function (rows) {
        var option = base();
        option.xAxis = { type: "category", data: pluck(rows, "year").map(String) };
        option.yAxis = { type: "value", name: L.count_unit, minInterval: 1 };
        option.series = [
          { name: L.biomedical, type: "bar", stack: "key", data: pluck(rows, "biomedical"), tooltip: { valueFormatter: count } },
          { name: L.other, type: "bar", stack: "key", data: pluck(rows, "other"), tooltip: { valueFormatter: count } }
        ];
        return option;
      },

      gene_related: function (rows) {
        var option = base();
        delete option.grid;
        option.tooltip = {
          trigger: "item",
          confine: true,
          formatter: function (p) {
            return p.name + ":" + count(p.value) + "(" + p.percent.toFixed(1) + "%)";
          }
        };
        option.series = [
          {
            type: "pie",
            radius: ["35%", "65%"],
            top: 24,
            data: rows,
            label: { formatter: "{b}\n{d}%" }
          }
        ];
        return option;
      },

      talents_by_level: function (rows) {
        var option = base();
        option.legend = { show: false };
        option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, confine: true };
        option.xAxis = { type: "category", data: pluck(rows, "name"), axisLabel: { interval: 0, width: 90, overflow: "break" } };
        option.yAxis = { type: "value", name: L.talents + "(" + L.person_unit + ")", minInterval: 1 };
        option.series = [{ name: L.talents, type: "bar", data: pluck(rows, "talents"), tooltip: { valueFormatter: persons } }];
        return option;
      },

      talents_by_industry: function (rows) {
        var option = base();
        delete option.grid;
        option.tooltip = {
          trigger: "item",
          confine: true,
          formatter: function (p) {
            return p.name + ":" + persons(p.value) + "(" + p.percent.toFixed(1) + "%)";
          }
        };
        option.series = [
          {
            type: "pie",
            radius: ["35%", "65%"],
            top: 24,
            data: rows.map(function (row) {
              return { name: row.name, value: row.talents };
            }),
            label: { formatter: "{b}\n{d}%" }
          }
        ];
        return option;
      },

      talents_by_year: function (rows) {
        var option = base();
        option.xAxis = { type: "category", data: pluck(rows, "year").map(String) };
        option.yAxis = { type: "value", name: L.talents + "(" + L.person_unit + ")", minInterval: 1 };
        option.series = [
          { name: L.biomedical, type: "bar", stack: "talents", data: pluck(rows, "biomedical"), tooltip: { valueFormatter: persons } },
          { name: L.other_industries, type: "bar", stack: "talents", data: pluck(rows, "other"), tooltip: { valueFormatter: persons } }
        ];
        return option;
      },

      top_enterprises: function (rows, el) {
        var ordered = rows.slice().reverse(); /* largest on top of a horizontal bar chart */
        var unit = moneyUnit(pluck(rows, "revenue_yuan"));
        var option = base();
        option.legend = { show: false };
        option.grid = { left: 8, right: 40, top: 16, bottom: 16, containLabel: true };
        option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, confine: true };
        option.xAxis = { type: "value", name: unit.label };
        option.yAxis = { type: "category", data: pluck(ordered, "name"), axisLabel: { width: Math.min(220, Math.round(el.clientWidth * 0.4)), overflow: "truncate" } };
        option.series = [
          {
            name: L.revenue,
            type: "bar",
            cursor: "pointer",
            tooltip: { valueFormatter: money(unit) },
            data: ordered.map(function (row) {
              return { value: Math.round((num(row.revenue_yuan) / unit.div) * 100) / 100, url: row.url };
            })
          }
        ];
        return option;
      }
    };

    var charts = [];
    function draw(el) {
      var key = el.getAttribute("data-figure");
      var rows = data.figures[key];
      if (el.getAttribute("data-drawn") || !builders[key] || !rows) {
        return;
      }
      el.setAttribute("data-drawn", "1");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(builders[key](rows, el));
      if (key === "top_enterprises") {
        chart.on("click", function (params) {
          if (params.data && params.data.url) {
            window.location.assign(params.data.url);
          }
        });
      }
      charts.push(chart);
    }

    /* Speed (issue 10: perf): the charts on the first screen are drawn at once, the others one per idle
     * moment afterwards, so the page answers sooner than if all ten were drawn before anything else. */
    var later = [];
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.getBoundingClientRect().top < window.innerHeight + 200) {
        draw(el);
      } else {
        later.push(el);
      }
    });
    function idle(fn, options) {
      return window.requestIdleCallback ? window.requestIdleCallback(fn, options) : window.setTimeout(fn, 16);
    }
    function drawNext() {
      var el = later.shift();
      if (el) {
        draw(el);
        idle(drawNext, { timeout: 300 });
      }
    }
    idle(drawNext, { timeout: 300 });
    window.addEventListener("beforeprint", function () {
      later.splice(0).forEach(draw);
    });

    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) {
          chart.resize();
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

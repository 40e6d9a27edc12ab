/* Cockpit charts: reads the figures from <script id="cockpit-data" type="application/json"> (json_script)
 * and draws one ECharts chart per [data-figure] element. No inline script (CSP: script-src 'self');
 * every visible string arrives translated in data.labels or in the figures themselves.
 * Money arrives as exact decimal strings in yuan; it is scaled only for drawing, to the units of
 * data.labels.money_units (亿元/万元/元 in Chinese, CNY billion/million in English). Numbers are written
 * in the page's language, read from data-lang on each chart element. */
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
    /* The page's own font list: a canvas does not understand "inherit" (the whole font string is then
     * dropped and every label falls back to 10px sans-serif). */
    var FONT = window.getComputedStyle(document.body).fontFamily || "sans-serif";

    function num(value) {
      return value === null || value === undefined ? null : Number(value);
    }

    var first = document.querySelector("[data-figure]");
    var english = ((first && first.getAttribute("data-lang")) || "").indexOf("en") === 0;
    var locale = english ? "en-GB" : "zh-CN";
    var UNITS = L.money_units;

    /* "营业收入(亿元)" / "Revenue (CNY billion)" */
    function named(name, unit) {
      return english ? name + " (" + unit + ")" : name + "(" + unit + ")";
    }

    /* The unit that keeps the largest amount readable: the largest one the amount reaches. */
    function moneyUnit(values) {
      var max = 0;
      values.forEach(function (v) {
        max = Math.max(max, Math.abs(num(v) || 0));
      });
      for (var i = 0; i < UNITS.length; i++) {
        if (max >= UNITS[i].div) {
          return UNITS[i];
        }
      }
      return UNITS[UNITS.length - 1];
    }

    function grouped(v) {
      return v.toLocaleString(locale);
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
        return v === null || v === undefined ? "—" : unit.prefix + v.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + unit.suffix;
      };
    }

    function count(v) {
      return v === null || v === undefined ? "—" : grouped(v) + L.count_unit;
    }

    function persons(v) {
      return v === null || v === undefined ? "—" : grouped(v) + L.person_unit;
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
        textStyle: { fontFamily: FONT },
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
        { type: "value", name: named(L.enterprises, L.count_unit.trim()), axisLabel: { formatter: grouped }, minInterval: 1 },
        { type: "value", name: named(L.revenue, unit.label), axisLabel: { formatter: grouped }, splitLine: { show: false } }
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
          { type: "value", name: named(L.revenue, unit.label), axisLabel: { formatter: grouped } },
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
          { type: "value", name: named(L.enterprises, L.count_unit.trim()), axisLabel: { formatter: grouped }, minInterval: 1 },
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
        option.yAxis = { type: "value", name: L.count_unit.trim(), axisLabel: { formatter: grouped }, minInterval: 1 };
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
        option.yAxis = { type: "value", name: named(L.talents, L.person_unit.trim()), axisLabel: { formatter: grouped }, minInterval: 1 };
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
        option.yAxis = { type: "value", name: named(L.talents, L.person_unit.trim()), axisLabel: { formatter: grouped }, minInterval: 1 };
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
        option.xAxis = { type: "value", name: unit.label, axisLabel: { formatter: grouped } };
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

    /* 关怀版 (body.care-mode): every text of the chart at 16px in black, lines thicker. */
    var care = document.body.classList.contains("care-mode");
    function careText(option) {
      if (!care) {
        return option;
      }
      var text = { fontSize: 16, color: "#000" };
      option.textStyle = { fontFamily: FONT, fontSize: 16, color: "#000" };
      option.legend = Object.assign({}, option.legend, { textStyle: text, itemWidth: 30, itemHeight: 18 });
      option.tooltip = Object.assign({}, option.tooltip, { textStyle: { fontSize: 16 } });
      if (option.grid && option.legend.show !== false) {
        /* room for a legend that may wrap to two lines above the axis names */
        option.grid = Object.assign({}, option.grid, { top: option.grid.top + 40 });
      }
      ["xAxis", "yAxis"].forEach(function (name) {
        var axes = option[name];
        (Array.isArray(axes) ? axes : axes ? [axes] : []).forEach(function (axis) {
          axis.axisLabel = Object.assign({}, axis.axisLabel, text);
          axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, text);
        });
      });
      (option.series || []).forEach(function (series) {
        if (series.type === "line") {
          series.lineStyle = Object.assign({ width: 3 }, series.lineStyle);
          series.symbolSize = 8;
        }
        if (series.label) {
          series.label = Object.assign({}, series.label, text);
        }
      });
      return option;
    }

    /* Keyboard: a chart takes the focus (Tab); the arrow keys step through its items, showing each one's
     * tooltip as a mouse would, Home/End jump to the first/last, Escape hides the tooltip. The data table
     * under the chart holds the same figures (and its links) for screen readers. */
    function keyboard(el, chart, length) {
      if (!length) {
        return;
      }
      var at = -1;
      el.setAttribute("tabindex", "0");
      function show(index) {
        at = (index + length) % length;
        chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: at });
      }
      el.addEventListener("keydown", function (event) {
        var keys = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: length - 1 };
        if (event.key in keys) {
          event.preventDefault();
          show(at < 0 && (event.key === "ArrowLeft" || event.key === "ArrowUp") ? length - 1 : keys[event.key]);
        } else if (event.key === "Escape") {
          chart.dispatchAction({ type: "hideTip" });
        }
      });
      el.addEventListener("blur", function () {
        chart.dispatchAction({ type: "hideTip" });
      });
    }

    var charts = [];
    function draw(el) {
      var key = el.getAttribute("data-figure");
      var rows = data.figures[key];
      if (el.getAttribute("data-drawn") || !builders[key] || !rows) {
        return;
      }
      el.setAttribute("data-drawn", "1");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(careText(builders[key](rows, el)));
      if (key === "top_enterprises") {
        chart.on("click", function (params) {
          if (params.data && params.data.url) {
            window.location.assign(params.data.url);
          }
        });
      }
      keyboard(el, chart, rows.length);
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

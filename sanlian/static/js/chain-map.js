/* Chain map (产业链图谱): reads <script id="chain-map-data" type="application/json"> (json_script) and
 * draws an ECharts graph into #chain-map. No inline script (CSP: script-src 'self'); every visible string
 * arrives translated in the data. Upstream, midstream and downstream nodes stand in three columns, the
 * support nodes in a row below; node size follows the number of enterprises or the revenue (the size
 * radio buttons redraw without a reload), colour follows the gap class; clicking a node opens its page.
 * Signed cooperation is drawn as dashed gold links between small enterprise dots beside their nodes. */
(function () {
  "use strict";

  var COLUMN = { upstream: 0, midstream: 1, downstream: 2 };
  var MARGIN = { top: 56, bottom: 28, left: 28, right: 210 };
  var LINK_COLOUR = "#c98a00";

  function init() {
    var holder = document.getElementById("chain-map-data");
    var el = document.getElementById("chain-map");
    if (!holder || !el || !window.echarts) {
      return;
    }
    var data = JSON.parse(holder.textContent);
    var L = data.labels;
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    /* The page's own font list: a canvas does not understand "inherit" (the whole font string is then
     * dropped and every label falls back to 10px sans-serif). */
    var FONT = window.getComputedStyle(document.body).fontFamily || "sans-serif";
    var care = document.body.classList.contains("care-mode");
    if (care) {
      MARGIN.right = 300; /* room for the larger labels of the downstream column */
      MARGIN.bottom = 48;
    }
    var classIndex = {};
    data.classes.forEach(function (c, i) {
      classIndex[c.key] = i;
    });

    function num(v) {
      return v === null || v === undefined ? 0 : Number(v);
    }

    /* Money in the page's language (data-lang on #chain-map): the largest unit the amount reaches, from
     * data.labels.money_units (亿元/万元/元 in Chinese, CNY billion/million in English). */
    var locale = (el.getAttribute("data-lang") || "").indexOf("en") === 0 ? "en-GB" : "zh-CN";
    var UNITS = L.money_units;

    function money(v) {
      var n = num(v);
      var unit = UNITS[UNITS.length - 1];
      for (var i = 0; i < UNITS.length; i++) {
        if (Math.abs(n) >= UNITS[i].div) {
          unit = UNITS[i];
          break;
        }
      }
      var digits = unit.div === 1 ? 0 : 2;
      return unit.prefix + (n / unit.div).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }) + unit.suffix;
    }

    /* Names and notes come from users: escaped before they enter a tooltip's HTML. */
    function esc(text) {
      return window.echarts.format.encodeHTML(text === null || text === undefined ? "" : String(text));
    }

    function shortName(name) {
      return name.split("(")[0].split("(")[0];
    }

    /* Fixed positions in pixels of the chart (so the view never stretches the circles): three stage
     * columns, the support nodes in a row beneath them. */
    function positions() {
      var width = Math.max(el.clientWidth - MARGIN.left - MARGIN.right, 300);
      var height = Math.max(el.clientHeight - MARGIN.top - MARGIN.bottom, 300);
      var columns = { upstream: [], midstream: [], downstream: [], support: [] };
      data.nodes.forEach(function (n) {
        (columns[n.stage] || columns.support).push(n);
      });
      var tallest = Math.max(columns.upstream.length, columns.midstream.length, columns.downstream.length, 1);
      var rowGap = height / (tallest + 1);
      var columnGap = width / 2;
      var result = {};
      ["upstream", "midstream", "downstream"].forEach(function (stage) {
        var list = columns[stage];
        var offset = ((tallest - list.length) * rowGap) / 2;
        list.forEach(function (n, i) {
          result[n.code] = { x: MARGIN.left + COLUMN[stage] * columnGap, y: MARGIN.top + offset + i * rowGap };
        });
      });
      var support = columns.support;
      support.forEach(function (n, i) {
        var x = support.length > 1 ? (i * width) / (support.length - 1) : columnGap;
        result[n.code] = { x: MARGIN.left + x, y: MARGIN.top + tallest * rowGap + rowGap * 0.6 };
      });
      result.rowGap = rowGap;
      return result;
    }

    var at = positions();

    function sizeOf(n, key, max) {
      var v = key === "revenue" ? num(n.revenue_yuan) : n.enterprises;
      return max > 0 ? 16 + 52 * Math.sqrt(v / max) : 20;
    }

    function option(key) {
      var values = data.nodes.map(function (n) {
        return key === "revenue" ? num(n.revenue_yuan) : n.enterprises;
      });
      var max = Math.max.apply(null, values.concat([0]));
      var categories = data.classes.map(function (c) {
        return { name: c.label, itemStyle: { color: c.color } };
      });
      var nodes = data.nodes.map(function (n) {
        return {
          id: n.code,
          name: n.code,
          x: at[n.code].x,
          y: at[n.code].y,
          symbolSize: sizeOf(n, key, max),
          category: classIndex[n["class"]],
          url: n.url,
          info: n,
          cursor: "pointer",
          label: { show: true, position: "right", formatter: n.code + " " + shortName(n.name) }
        };
      });
      var edges = data.edges.map(function (e) {
        var sameColumn = at[e.source] && at[e.target] && at[e.source].x === at[e.target].x;
        return {
          source: e.source,
          target: e.target,
          note: e.note,
          lineStyle: { curveness: sameColumn ? 0.35 : 0.08 }
        };
      });

      /* Realised cooperation: each enterprise once, as a dot on a small circle around its first node. */
      if (data.links.length) {
        categories.push({ name: L.realised, itemStyle: { color: LINK_COLOUR } });
        var seen = {};
        var around = {};
        var sizeByCode = {};
        nodes.forEach(function (n) {
          sizeByCode[n.id] = n.symbolSize;
        });
        var dot = function (side) {
          var id = "e" + side.id;
          if (seen[id]) {
            return id;
          }
          var centre = at[side.node] || { x: el.clientWidth / 2, y: MARGIN.top / 2 };
          var k = (around[side.node] = (around[side.node] || 0) + 1);
          var angle = (k * 137.5 * Math.PI) / 180; /* golden angle: dots never stack */
          var radius = (sizeByCode[side.node] || 20) / 2 + 9 + 6 * Math.floor(k / 6);
          nodes.push({
            id: id,
            name: side.name,
            x: centre.x + radius * Math.cos(angle),
            y: centre.y + radius * Math.sin(angle),
            symbolSize: 7,
            category: categories.length - 1,
            enterprise: true,
            label: { show: false }
          });
          seen[id] = true;
          return id;
        };
        data.links.forEach(function (link) {
          edges.push({
            source: dot(link.supplier),
            target: dot(link.customer),
            realised: link,
            lineStyle: { color: LINK_COLOUR, type: "dashed", width: 2, opacity: 0.9, curveness: 0.2 }
          });
        });
      }

      /* The view fits the nodes' bounding box into the series box: making the two equal keeps scale 1. */
      var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      nodes.forEach(function (n) {
        box.x0 = Math.min(box.x0, n.x);
        box.y0 = Math.min(box.y0, n.y);
        box.x1 = Math.max(box.x1, n.x);
        box.y1 = Math.max(box.y1, n.y);
      });

      return {
        animation: !reduceMotion,
        textStyle: { fontFamily: FONT },
        legend: { top: 0, data: categories.map(function (c) { return c.name; }) },
        tooltip: {
          confine: true,
          formatter: function (p) {
            if (p.dataType === "edge") {
              if (p.data.realised) {
                var r = p.data.realised;
                return esc(r.supplier.name) + " → " + esc(r.customer.name) + "<br>" + esc(r.title) +
                  (r.amount_yuan ? "<br>" + money(r.amount_yuan) : "") + (r.signed_date ? "<br>" + esc(r.signed_day || r.signed_date) : "");
              }
              return esc(p.data.source) + " → " + esc(p.data.target) + (p.data.note ? ":" + esc(p.data.note) : "");
            }
            if (p.data.enterprise) {
              return esc(L.enterprise) + ":" + esc(p.data.name);
            }
            var n = p.data.info;
            var lines = [esc(n.code + " " + n.name), esc(n.class_label), esc(L.enterprises) + ":" + n.enterprises.toLocaleString(locale) + esc(L.count_unit)];
            if (n.district_enterprises !== null && n.district_enterprises !== undefined) {
              lines.push(esc(L.district) + ":" + n.district_enterprises + esc(L.count_unit));
            }
            if (data.money) {
              lines.push(esc(L.revenue) + ":" + money(n.revenue_yuan));
              lines.push(esc(L.score) + ":" + n.score);
            }
            return lines.join("<br>");
          }
        },
        series: [
          {
            type: "graph",
            layout: "none",
            roam: true,
            left: box.x0,
            top: box.y0,
            width: Math.max(box.x1 - box.x0, 1),
            height: Math.max(box.y1 - box.y0, 1),
            categories: categories,
            data: nodes,
            links: edges,
            edgeSymbol: ["none", "arrow"],
            edgeSymbolSize: 7,
            lineStyle: { color: "#8a96a3", opacity: 0.55, width: 1.2 },
            emphasis: { focus: "adjacency", lineStyle: { width: 2.5 } },
            label: { fontSize: 12, color: "#1b2733" }
          }
        ]
      };
    }

    /* 关怀版 (body.care-mode): larger labels, legend and tooltip text. */
    function careText(opt) {
      if (!care) {
        return opt;
      }
      opt.legend.textStyle = { fontSize: 16, color: "#000" };
      opt.tooltip.textStyle = { fontSize: 16 };
      opt.series[0].label = { fontSize: 15, color: "#000" };
      opt.series[0].data.forEach(function (n) {
        if (n.info && !(n.info.stage in COLUMN)) {
          n.label.position = "bottom"; /* the support row: longer labels side by side would overlap */
        }
      });
      return opt;
    }

    var size = data.size;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(careText(option(size)));

    /* Keyboard: the node list beside the graph ([data-node] links) is the way in; focusing a link highlights
     * its node and shows its tooltip, so a keyboard user sees in the graph what a mouse user sees. */
    function nodeIndex(code) {
      for (var i = 0; i < data.nodes.length; i++) {
        if (data.nodes[i].code === code) {
          return i;
        }
      }
      return -1;
    }
    document.querySelectorAll("a[data-node]").forEach(function (link) {
      var index = nodeIndex(link.getAttribute("data-node"));
      if (index < 0) {
        return;
      }
      var show = function () {
        chart.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: index });
        chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: index });
      };
      var hide = function () {
        chart.dispatchAction({ type: "downplay", seriesIndex: 0, dataIndex: index });
        chart.dispatchAction({ type: "hideTip" });
      };
      link.addEventListener("focus", show);
      link.addEventListener("mouseenter", show);
      link.addEventListener("blur", hide);
      link.addEventListener("mouseleave", hide);
    });
    chart.on("click", function (params) {
      if (params.dataType === "node" && params.data && params.data.url) {
        window.location.assign(params.data.url);
      }
    });

    document.querySelectorAll("input[name=size]").forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.checked) {
          size = input.value;
          chart.setOption(careText(option(size))); /* same node ids: the circles grow or shrink in place */
        }
      });
    });

    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        chart.resize();
        at = positions();
        chart.setOption(careText(option(size)));
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

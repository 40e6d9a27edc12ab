"""No Chinese reaches a user without passing through the catalogue (see tests/core/i18n_coverage.py).

test_i18n.py checks that every marked string is translated; these check that every Chinese string is marked.
"""

from pathlib import Path

from tests.core import i18n_coverage as coverage

ROOT = coverage.ROOT


def describe(findings: list[str]) -> str:
    return "\n".join(["Chinese text not marked for translation (wrap it, or allow it with a reason):", *findings])


class TestTheCodebase:
    def test_no_template_shows_chinese_outside_translate_tags(self):
        findings = [f for path in coverage.templates() for f in coverage.template_findings(path)]
        assert not findings, describe(findings)

    def test_no_python_string_shown_to_users_is_chinese_without_gettext(self):
        findings = [f for path in coverage.python_modules() for f in coverage.python_findings(path)]
        assert not findings, describe(findings)

    def test_no_script_carries_chinese_words(self):
        findings = [f for path in coverage.scripts() for f in coverage.script_findings(path)]
        assert not findings, describe(findings)

    def test_no_notification_is_sent_in_the_senders_language_only(self):
        # Demo stories send notifications too: a reader who chose English sees them in English.
        modules = [*coverage.python_modules(), *sorted((coverage.PACKAGE / "demo").rglob("*.py"))]
        findings = [f for path in modules for f in coverage.notification_findings(path)]
        assert not findings, "\n".join(["Pass Text(gettext_lazy(...), params) or gettext_lazy(...):", *findings])

    def test_no_translation_is_fixed_at_import_time(self):
        findings = [f for path in coverage.python_modules() for f in coverage.import_time_findings(path)]
        assert not findings, "\n".join(["Translated once, at import (use gettext_lazy / Text):", *findings])

    def test_the_scan_covers_the_templates_modules_and_scripts(self):
        assert len(coverage.templates()) > 100
        assert len(coverage.python_modules()) > 200
        assert {p.name for p in coverage.scripts()} >= {"cockpit.js", "chain-map.js"}
        assert not any("/demo/" in p.as_posix() or "migrations" in p.parts for p in coverage.python_modules())

    def test_every_allowance_names_a_reason_and_still_excuses_something(self):
        stale = []
        for allowed in coverage.ALLOWED:
            assert len(allowed.reason) > 15, allowed
            literals = coverage.python_literals(ROOT / allowed.path)
            if not any(allowed.scope in (scope, "*") for _line, scope, _text in literals):
                stale.append(f"{allowed.path} {allowed.scope}")
        assert stale == [], "allowances that excuse nothing any more: remove them"


def sample(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestTheCheckerCatchesAnUnmarkedString:
    def test_a_template_line_of_bare_chinese_is_named_by_file_and_line(self, tmp_path):
        path = sample(
            tmp_path,
            "page.html",
            "{% load i18n %}\n"
            '<h1>{% translate "企业名录" %}</h1>\n'
            "{# 注释 #}{% comment %}\n说明\n{% endcomment %}\n"
            "{% blocktranslate count n=n %}共 {{ n }} 家{% plural %}共 {{ n }} 家{% endblocktranslate %}\n"
            '<td>{{ x|default:_("无") }}</td>\n'
            "<p>保存</p>\n"
            '<img alt="标志">\n',
        )
        findings = coverage.template_findings(path)
        assert [f.split(": ")[0].rsplit(":", 1)[1] for f in findings] == ["8", "9"]
        assert findings[0].startswith(f"{coverage.rel(path)}:8: <p>保存</p>")

    def test_a_python_literal_outside_gettext_is_caught_and_a_marked_one_is_not(self, tmp_path):
        path = sample(
            tmp_path,
            "views.py",
            '"""模块说明。"""\n'
            "from django.utils.translation import gettext as _, gettext_lazy as _l\n"
            "from django.utils import translation\n"
            "LABEL = _l('企业')\n"
            "WORDS = ('是', '否')\n"
            "def view(n):\n"
            "    '''函数说明。'''\n"
            "    ok = _('已保存') + translation.ngettext('%(n)s 家', '%(n)s 家', n)\n"
            "    return ok + '保存失败' + f'共{n}条'\n",
        )
        findings = coverage.python_findings(path, allowed=())
        lines = [int(f.split(": ")[0].rsplit(":", 1)[1]) for f in findings]
        assert lines == [5, 5, 9, 9, 9]  # the f-string has two Chinese pieces
        assert any("'保存失败'" in f for f in findings) and any("'共'" in f for f in findings)

    def test_an_allowance_excuses_only_its_own_scope(self, tmp_path):
        path = sample(tmp_path, "kinds.py", "WORDS = ('是', '否')\nMESSAGE = '导入失败'\n")
        name = coverage.rel(path)
        allowed = (coverage.Allowed(name, "WORDS", "parser vocabulary for this test"),)
        assert [f.split(": ", 1)[1] for f in coverage.python_findings(path, allowed=allowed)] == ["'导入失败'"]

    def test_api_documentation_is_excused_only_when_bilingual_and_only_in_an_api_module(self, tmp_path):
        source = (
            "from ninja import Field, Schema\n"
            "class In(Schema):\n"
            "    a: str = Field(description='年度 / year')\n"
            "    b: str = Field(description='年度')\n"
        )
        assert len(coverage.python_findings(sample(tmp_path, "api.py", source), allowed=())) == 1
        assert len(coverage.python_findings(sample(tmp_path, "forms.py", source), allowed=())) == 2

    def test_a_script_string_is_caught_but_a_comment_is_not(self, tmp_path):
        path = sample(
            tmp_path,
            "chart.js",
            "/* 图表 */\n// 说明 'quoted'\nconst url = 'http://x/y'; // 单位\nlabel.textContent = \"亿元\";\n",
        )
        assert [f.split(": ")[0] for f in coverage.script_findings(path)] == [f"{coverage.rel(path)}:4"]


class TestTheCheckerCatchesAnEagerNotification:
    def test_a_title_translated_at_once_directly_or_through_a_name_is_caught(self, tmp_path):
        path = sample(
            tmp_path,
            "services.py",
            "from django.utils.translation import gettext as _, gettext_lazy\n"
            "from sanlian.core.i18n import Text\n"
            "def approve(users, report, ok):\n"
            "    notification_send(recipients=users, title=_('已通过'))\n"
            "    title = _('通过:%(y)s') if ok else _('退回:%(y)s')\n"
            "    notification_send(recipients=users, title=title % {'y': report.year}, body=report.comment)\n"
            "    for who, text in [(users, _('提醒'))]:\n"
            "        notify(who, text, url='')\n"
            "    errors = {}\n"
            "    errors['x'] = _('错误')\n"
            "    lazy = gettext_lazy('通过:%(y)s')\n"
            "    notification_send(recipients=users, title=Text(lazy, {'y': report.year}), body=report.comment)\n"
            "    notify(users, gettext_lazy('提醒'), url='', body=errors)\n",
        )
        assert [f.split(": ")[0].rsplit(":", 1)[1] for f in coverage.notification_findings(path)] == ["4", "6", "8"]


class TestTheCheckerCatchesATranslationFixedAtImport:
    def test_gettext_or_a_formatted_lazy_text_in_a_class_body_is_caught_and_one_in_a_function_is_not(self, tmp_path):
        path = sample(
            tmp_path,
            "forms.py",
            "from django.utils.translation import gettext, gettext_lazy as _\n"
            "class F:\n"
            "    label = _('名称')\n"
            "    help = _('上限 %(n)s MB') % {'n': 32}\n"
            "    title = gettext('标题')\n"
            "    def clean(self):\n"
            "        return gettext('错误') + _('上限 %(n)s MB') % {'n': 1}\n",
        )
        assert [f.split(": ")[0].rsplit(":", 1)[1] for f in coverage.import_time_findings(path)] == ["4", "5"]

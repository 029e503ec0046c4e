"""Deterministic, deliberately messy sample ledgers (台账) of 双鸭山市.

The demo city's raw snapshots for the reporting months 2020-05 and 2020-06, as the
eight county offices would e-mail them (``pipeline.py sample``), and last year's same
month 2019-06 in a tidy layout (:mod:`~bulletin.sample.last_year`: history for 同比).
Two steps:

1. :func:`bulletin.sample.records.build_records` builds the clean records in Python
   (``random.Random(2020)``, a fixed call order, no hash order, no clock): signings,
   activities, the year's key projects with their state at the end of May and of June,
   and the annual targets, from the plan in :mod:`bulletin.sample.plan`.
2. One small renderer per region (:mod:`~bulletin.sample.districts`,
   :mod:`~bulletin.sample.counties`) writes those records into workbooks with that
   region's own layout, using the cell formats and sheet writer of
   :mod:`~bulletin.sample.cells`; ``render_targets`` writes the city's 目标任务表.

The package computes no figure: the tests derive their expectations from the clean
records with their own arithmetic (``tests/sample_figures.py``), never from the
workbooks, so they check the readers independently.

Public API::

    write_sample(raw_dir, periods=("2019-06", "2020-05", "2020-06")) -> list[Path]

The 2020-06 snapshot gives the article's figures for 全市: 70 activities, 99 online
leads, 50 out-of-province signings worth 1,503,300 万元 (13 online, 404,400 万元),
start rates 37/47, 29/45, 17/30 and investment rates 12.9%, 13.7%, 14.3% for the
provincial key, municipal key and industrial projects, and a city target of 140 亿元
(completion 107.4%, 超额完成). With time progress 0.5 the lights are: green 尖山区,
集贤县, 友谊县, 宝清县, 饶河县; yellow 岭东区 (0.45); red 四方台区 (0.333), 宝山区 (0.30).

The 2020-05 snapshot holds what the counties had at the end of May: signings and
activities dated up to 2020-05-31, the same project list with fewer projects started
and less investment completed, and the same targets.

Rows that a SPEC-following reader must reject (kept out of the expected figures;
two in 2020-06, one in 2020-05):

* 四方台区, signings sheet (2020-06 only): a signing whose 签约时间 is ``六月中旬``
  (a required date that is not a date).
* 尖山区, projects sheet (both months): a provincial key project with a negative
  年度计划投资 (``-3000``).

到位资金 (SPEC §9): the signings ledgers of 尖山区 (``实际到位资金``, with its 合计),
宝清县 (``到位资金（万元）``) and 饶河县 (``资金到位额``, one cell left blank) carry the
column; the other five counties' do not, so their ``funds_in_place`` is empty.

Rows that look like records but must not count (they are valid records):

* in-province signings (origin 哈尔滨市 / 黑龙江省佳木斯市, or the flag 否 / 省内) in
  尖山区, 岭东区 (an online one), 宝山区, 集贤县, 宝清县, 饶河县;
* 宝清县's signing dated 2020-07-02 (2020-06 snapshot, filled in on 2020-07-03).

Layout map (files under ``<raw_dir>/<period>/``; "6月" becomes "5月" for 2020-05):

========  ==================================================================
region    what it exercises
========  ==================================================================
尖山区    ``尖山区招商台账（6月）.xlsx``; sheets 签约 / 活动 / 项目 + an empty
          ``Sheet4``; title + ``填报单位：… 单位：万元 …`` lines; region column;
          origin → out of province; amounts with cell units (``3000万元``,
          ``1.2亿元``, ``1.5亿``) mixed with plain numbers; Excel date cells;
          合计 and ``其中：不见面招商`` rows, 填报人 note row; all tiers in one
          sheet (项目类别: 省百大项目 / 市百大项目 / 500万元以上产业项目);
          是/否; the negative-planned bad row; an ``注：`` note row.
岭东区    ``岭东区2020年6月份台账.xlsx``; sheets Sheet1 / Sheet2 / 省百大 /
          市百大 / 产业项目; NO region column anywhere: the region comes from
          ``填报单位：岭东区（盖章）  单位：万元 …`` / ``填报单位：岭东区经济合作促进局``
          (titles of the signing and activity sheets name no region; the
          per-tier project titles do); 是否省外 flag (是/否); amounts as text with thousands
          commas (``12,500``); text dates ``2020-05-31`` and ``2020/6/30``; one
          sheet per tier with the tier only in the title
          (``岭东区2020年省百大项目推进情况表``, ``单位：万元`` in the last column
          of the line below); √/×; aliases 签约项目名称,
          投资主体, 产业类别, 签约金额, 活动时间, 招商方式, 项目总投资,
          本年计划投资, 本年累计完成投资, 项目状态, 开复工时间.
四方台区  ``附件2-招商引资工作台账（1-6月）.xlsx`` (no region in the file name:
          region from the title lines); sheets Sheet1 / Sheet2 / Sheet3 + a
          ``填报说明`` sheet of unrelated notes; no region column; ``单位：亿元``
          declared above the header (signings and projects, in the last column
          of the line); text dates ``2020.6.30``; a blank row in the middle; the
          ``六月中旬`` bad row; 项目级别 省级百大项目 / 市级百大项目 /
          500万以上产业项目; 已入统/未入统; aliases 项目, 投资方名称, 来源地,
          签约投资额, 签约形式, 日期, 类型, 城市, 线索数, 计划总投资,
          当年计划投资, 完成投资, 开工情况, 开工日期, 入统情况.
宝山区    ``宝山区6月份招商台账.xlsx``; sheets 签约项目 / 招商活动 / 附表2;
          nothing above the header in the signing and activity sheets;
          ``省内/省外`` column with 省外/省内; ``签约额（万元）``; text dates
          ``2020年6月30日``; Excel serial numbers (plain numbers) as activity
          dates; a two-row project header with merged groups 投资情况 over
          ``2020年计划投资（万元） | 1-6月累计完成投资（万元）`` and 建设进展 over
          ``建设状态 | 开工时间 | 形象进度``; tiers 省百大 / 市百大 /
          500万以上产业项目.
集贤县    sub-folder ``集贤县/`` with one workbook per ledger type; a two-row
          signing header with 签约情况 merged over ``签约时间 | 签约额（亿元） |
          签约方式`` (values in 亿元); text dates ``20200630``; activity dates
          ``6月30日`` (year from the period); region column ``县（区）`` /
          所在县区; 小计 rows after each tier group and a 合计 row.
友谊县    ``友谊县2020年上半年招商引资台账.xlsx`` (2020-05: ``…1-5月…``);
          header in row 1 of the signing and activity sheets; region column
          地区 with the short alias ``友谊``; amounts as full-width text
          (``１２５００``) under ``协议投资额`` with no unit anywhere (the one
          place where the 万元 default, with its warning, applies); Excel date
          cells mixed with serial numbers; an
          unknown chain (数字经济); a blank row in the middle of the activities;
          a blank leads cell; one sheet per tier (附表1/2/3) with the tier in
          the title (省级百大项目 / 市级百大项目 / 500万以上产业项目); one blank
          status (2020-06); completed investment ``—`` and blank.
宝清县    ``宝清县招商台账（6月）.xlsx``; the SPEC title and
          ``填报单位：宝清县（盖章）  单位：万元  填报日期：2020年7月3日``;
          ``省外项目`` flag plus an origin column; Excel date cells alternating
          with text dates ``2020/6/30``; ``备注：`` note row;
          the 2020-07-02 signing; 其中 rows; the project sheet has the region
          cell merged down over all projects and the tier cell merged down over
          each tier group.
饶河县    sub-folder ``饶河县/``, file ``饒河縣招商臺賬（6月）.xlsx``: every text
          (file name, sheet names, headers, values) in traditional characters
          (簽約額, 開復工情況, 是否入統, 饒河縣, 500萬元以上產業項目, 已開工 …);
          ``填報單位：… 單位：萬元 …``; origins including 哈爾濱市.
targets   ``2020年招商引资目标任务表.xlsx``: one sheet, ``县区 | 签约额目标（亿元） |
          签约项目数目标``, two short region aliases (集贤, 饶河), 全市合计 row.
========  ==================================================================

Statuses used: 已开工, 开工建设, 复工, 已复工, 在建, 续建 (started); 未开工, 待开工,
拟开工, 前期手续办理中 (not started); one blank. Origins used (out of province):
广东省深圳市, 北京, 上海市, 江苏苏州, 成都, 香港, 日本, 浙江省杭州市, 山东省青岛市,
天津市, 吉林省长春市, 辽宁省大连市, 江苏省无锡市, 福建省厦门市.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bulletin.sample import last_year
from bulletin.sample.cells import Ctx, save
from bulletin.sample.counties import render_baoqing, render_jixian, render_raohe, render_targets, render_youyi
from bulletin.sample.districts import render_baoshan, render_jianshan, render_lingdong, render_sifangtai
from bulletin.sample.plan import PERIODS, REGIONS
from bulletin.sample.records import build_records

__all__ = ["write_sample", "PERIODS", "REGIONS", "LAST_YEAR", "ALL_PERIODS"]

LAST_YEAR = last_year.PERIOD  # 2019-06: history for the 同比 of 2020-06
ALL_PERIODS = (LAST_YEAR, *PERIODS)  # what ``pipeline.py sample`` writes

RENDERERS = (
    render_jianshan,
    render_lingdong,
    render_sifangtai,
    render_baoshan,
    render_jixian,
    render_youyi,
    render_baoqing,
    render_raohe,
    render_targets,
)


def write_sample(raw_dir: Path, periods: Iterable[str] = ALL_PERIODS) -> list[Path]:
    """Write the sample snapshots under ``raw_dir/<period>/``; return the files written.
    ``2019-06`` (:data:`LAST_YEAR`) is last year's same month (:mod:`~bulletin.sample.last_year`).

    Existing files of the same names are overwritten; nothing else is touched.
    """
    raw_dir = Path(raw_dir)
    records = build_records()
    written: list[Path] = []
    for period in periods:
        if period not in ALL_PERIODS:
            raise ValueError(f"sample data exists for {ALL_PERIODS}, not {period!r}")
        ctx = Ctx(period, records)
        for render in RENDERERS if period != LAST_YEAR else (last_year.render,):
            for rel, wb in render(ctx):
                path = raw_dir / period / rel
                save(wb, path, period)
                written.append(path)
    return written

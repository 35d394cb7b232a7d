"""The demo magazine: sections and articles, in Chinese and English.

Bodies are written with the small dataclasses below, one per block type, and name
products by slug and SKUs by code; ``content.demo.services`` turns them into
StreamField data with primary keys. Pictures are named by key: ``product:<slug>:<n>``
is a product's n-th gallery picture, ``scene:<name>`` one of ``SCENES``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: str = "h2"


@dataclass(frozen=True)
class Text:
    html: str


@dataclass(frozen=True)
class Picture:
    image: str
    caption: str = ""
    alt: str = ""
    width: str = "text"


@dataclass(frozen=True)
class Quote:
    quote: str
    attribution: str = ""


@dataclass(frozen=True)
class Card:
    product: str | None
    sku: str | None = None
    badge: str = ""
    note: str = ""


@dataclass(frozen=True)
class Grid:
    products: tuple[str, ...]
    heading: str = ""
    columns: str = "3"


@dataclass(frozen=True)
class Compare:
    products: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    heading: str = ""
    winner: int | None = None
    verdict: str = ""


@dataclass(frozen=True)
class Look:
    """Shop the look: a scene drawn from the hotspot SKUs, one hotspot on each."""

    hotspots: tuple[tuple[str, str], ...]  # (SKU code, label)
    caption: str = ""
    alt: str = ""
    background: str = "#e9dccb"


Block = Heading | Text | Picture | Quote | Card | Grid | Compare | Look


@dataclass(frozen=True)
class SectionDef:
    slug: str
    title: str
    intro: str


@dataclass(frozen=True)
class ArticleDef:
    slug: str
    title: str
    section: str
    language: str
    category: str
    author: str
    days_ago: int  # only used for a new page; an existing page keeps its date
    tags: tuple[str, ...]
    intro: str
    hero: tuple[str, ...]  # SKU codes or product slugs drawn in the hero scene
    body: tuple[Block, ...]


SECTIONS: tuple[SectionDef, ...] = (
    SectionDef("guides", "好物指南 Guides",
               "买之前先读一读：我们挑过、用过，才写进清单。Buying guides from editors who used the things first."),
    SectionDef("reviews", "评测 Reviews",
               "把同类产品放在一起比，结论写在最后。Side-by-side tests with a clear verdict."),
)

HOME_TAGLINE = "Good things, tested and explained · 好物，用心挑选"
HOME_INTRO = (
    "好物是一本关于日常用品的杂志：编辑们亲自试用，写清楚为什么值得买，价格和库存实时更新。"
    "Haowu is a magazine about everyday things: our editors use them first, tell you why they are "
    "worth it, and every price and stock level you see is live."
)
FEATURED_ARTICLE = "kettle-buying-guide"

# Editors' picks on the search page: (query, article slug, description), and how often
# readers searched for some terms each day of the last week, for the "Search terms" report.
PROMOTIONS = (
    ("保温杯", "why-we-love-a-thermos", "三年通勤、两次爬山之后，我们还在用的那只。The one we still carry."),
    ("thermos", "why-we-love-a-thermos", "The one we still carry after three winters. 我们还在用的那只。"),
    ("水壶", "kettle-buying-guide", "先读这篇：控温、壶嘴和容量怎么选。Read this before you buy a kettle."),
    ("kettle", "kettle-buying-guide", "Temperature control, spouts and sizes, tested. 先读这篇。"),
)
SEARCH_TERMS = {"保温杯": 41, "kettle": 27, "手冲壶": 18, "耳机": 15, "backpack": 9, "防晒": 7, "露营灯": 4}

# Named scenes used by Picture blocks: SKU codes or product slugs, and a backdrop.
SCENES: dict[str, tuple[tuple[str, ...], str]] = {
    "tea-corner": (("shancha-side-handle-teapot", "SC-MUG-SAGE", "SC-JAR-1L"), "#eadbc8"),
    "commute": (("NF-DAY-BLACK", "QW-700-NAVY", "OL-PWR-GRAPHITE", "TP-INS-MIST-500ML"), "#dfe5ee"),
    "campsite": (("FX-TNT2-MOSS", "FX-LTN-CREAM", "NF-MOON-EMBER"), "#cfe0d0"),
    "nursery": (("XY-BEAR-CARAMEL", "XY-BLK-50PCS", "XY-NLT-CREAM"), "#e4e3f3"),
    "bathroom-shelf": (("BY-VC-30ML", "BY-CER-50G", "BY-SUN-40ML", "BY-TNR-150"), "#f3e4e1"),
    "desk": (("ML-ARC-WALNUT-2700K", "OL-SPK-SKY", "SC-MUG-MIST"), "#e2e6ea"),
}

ARTICLES: tuple[ArticleDef, ...] = (
    ArticleDef(
        slug="kettle-buying-guide",
        title="电水壶怎么选：温控、材质和出水，一篇讲清楚",
        section="guides", language="zh-hans", category="kitchen", author="lin-xiaoyu", days_ago=3,
        tags=("厨房", "水壶", "选购指南"),
        intro="烧水看似简单，买错了却天天别扭。我们用了六周、烧了四百多壶水，总结出挑电水壶最重要的三件事。",
        hero=("SC-KTL-SAGE", "SC-MUG-TERRA", "CL-GNK-COPPER"),
        body=(
            Text("<p>一只好水壶，应该<b>烧得快、出水稳、把手不烫</b>。听上去是基本要求，但我们测过的十二款里，"
                 "只有不到一半三样都做到了。这篇指南先讲原理，再给结论。</p>"),
            Heading("一、要不要温控？"),
            Text("<p>如果你只喝白开水，温控是多余的；但只要你泡绿茶、手冲咖啡或者冲奶粉，温控就会每天帮你省下等水凉的五分钟。"
                 "绿茶适合 80°C，乌龙 90°C 以上，咖啡 90–94°C，奶粉通常是 45–50°C。</p>"),
            Card("shancha-glass-kettle", badge="最值得买", note=(
                "<p>五档温控覆盖了茶、咖啡和奶粉，<b>保温两小时</b>，硼硅玻璃能看见水况。"
                "我们最喜欢鼠尾草绿，放在厨房里不突兀。</p>")),
            Heading("二、壶身材质"),
            Text("<p>玻璃好清洁、能看见水垢；不锈钢耐摔；陶瓷保温好但更重。无论哪种，<i>内部接触水的部分</i>"
                 "都应该是 304 或 316 不锈钢、硼硅玻璃或食品级陶瓷，避免大面积塑料。</p>"),
            Compare(
                ("shancha-glass-kettle", "copperleaf-gooseneck-kettle", "shancha-classic-ceramic-kettle"),
                rows=(("容量", ("1.5 L", "0.9 L", "1.2 L")),
                      ("温控", ("五档", "壶盖温度计", "无")),
                      ("烧开 1 升", ("4 分 10 秒", "燃气灶约 5 分钟", "4 分 40 秒")),
                      ("适合", ("全家日常", "手冲咖啡", "——"))),
                heading="三款对比", winner=1,
                verdict="<p>日常用选<b>山茶玻璃温控壶</b>；每天手冲的话，再加一只 Copperleaf 细口壶。"
                        "旧款陶瓷壶已经下架，用它的读者可以放心继续用。</p>"),
            Quote("温控壶最大的好处，是让我早上终于喝上了一杯不烫嘴的绿茶。", "读者 小林，杭州"),
            Heading("三、配一只好杯子", "h3"),
            Grid(("shancha-stoneware-mug", "shancha-side-handle-teapot", "tidepool-pour-over-set"),
                 heading="和水壶一起用的"),
        ),
    ),
    ArticleDef(
        slug="commuter-headphones-compared",
        title="通勤耳机横评：降噪、续航和佩戴，五款放在一起比",
        section="reviews", language="zh-hans", category="audio", author="chen-mo", days_ago=9,
        tags=("耳机", "通勤", "横评"),
        intro="地铁、公交、办公室，一天两小时的通勤里，耳机是最常用的数码产品。我们把五款放进同一条线路，连测两周。",
        hero=("QW-700-BLACK", "QW-BPRO-PEARL", "OL-PWR-MINT"),
        body=(
            Text("<p>测试方法：北京地铁 10 号线早高峰，同一首歌、同一音量，记录降噪主观感受、通话清晰度和续航。"
                 "每款至少戴满十个工作日。</p>"),
            Compare(
                ("quietwave-qw700-headphones", "quietwave-buds-pro", "quietwave-buds-lite",
                 "quietwave-open-ear", "quietwave-neckband"),
                rows=(("形态", ("头戴", "入耳", "入耳", "开放式", "颈挂")),
                      ("降噪", ("★★★★★", "★★★★", "无", "无", "无")),
                      ("续航（单次）", ("40 小时", "8 小时", "6 小时", "7 小时", "12 小时")),
                      ("重量", ("254 g", "5.1 g × 2", "4.2 g × 2", "8.5 g × 2", "31 g"))),
                heading="五款参数一览", winner=1,
                verdict="<p>预算够就买 <b>QW700</b>，降噪和续航都是这组里最好的；想要小巧就选 Buds Pro。"
                        "开放式耳机这次卖断货了，颈挂款已经停产。</p>"),
            Heading("头戴：QW700"),
            Text("<p>地铁进站的低频轰鸣几乎完全消失，人声还能隐约听见——这正是通勤需要的。"
                 "耳罩用了蛋白皮，夏天戴一小时会有点闷。</p>"),
            Card("quietwave-qw700-headphones", sku="QW-700-SAND", badge="编辑之选", note=(
                "<p>沙色最耐看，也最不显脏。<i>现在有折扣</i>。</p>")),
            Heading("入耳：Buds Pro 和 Buds Lite"),
            Text("<p>Buds Pro 的降噪比头戴弱一档，但放进口袋就走；Buds Lite 不降噪，三百元以内音质很干净，适合在办公室用。</p>"),
            Quote("降噪耳机不是让你听不见世界，而是让你不用把音量开到最大。", "陈默"),
            Card("quietwave-open-ear", badge="已售罄", note="<p>骑车通勤推荐开放式，补货后我们会更新。</p>"),
            Card("quietwave-neckband", note="<p>老款颈挂式已停产，仍在用的读者可以看看 Buds Lite。</p>"),
        ),
    ),
    ArticleDef(
        slug="shop-the-look-calm-living-room",
        title="Shop the look: a calm living room for under ¥3,000",
        section="guides", language="en", category="home", author="emma-hart", days_ago=14,
        tags=("living room", "shop the look", "home"),
        intro="Soft light, one good chair and a few things you love: how we dressed a rented living room "
              "without a single screw in the wall.",
        hero=("ML-FLR-OAK", "LL-CSN-MUSTARD", "LL-VAS-MIST"),
        body=(
            Text("<p>Most rented flats come with a ceiling light that makes every evening feel like an office. "
                 "The fastest fix is <b>three pools of warm light at different heights</b>, then texture: "
                 "linen, stoneware, wood.</p>"),
            Look(
                hotspots=(("ML-FLR-OAK", "Floor lamp"), ("LL-VAS-MIST", "Vase"),
                          ("LL-CSN-MUSTARD", "Cushion"), ("ML-CDL-CEDAR", "Candle")),
                caption="Everything in this corner is in stock today; tap a number to see it.",
                alt="A floor lamp, a blue vase, a mustard cushion and a candle on a low table.",
                background="#e9dccb"),
            Heading("Start with light"),
            Text("<p>A floor lamp in the corner lifts the whole room; a table lamp by the sofa does the reading. "
                 "Keep bulbs at 2700 K and put everything on dimmers.</p>"),
            Card("mu-light-arc-table-lamp", sku="ML-ARC-OAK-2700K", badge="Editor’s pick", note=(
                "<p>The washi shade turns a bare bulb into a soft glow. <b>Oak</b> suits most rooms.</p>")),
            Heading("Then texture"),
            Grid(("linen-loom-linen-cushion", "linen-loom-waffle-throw", "linen-loom-ceramic-vase",
                  "mu-light-scented-candle"), heading="Soft things", columns="4"),
            Quote("We stopped turning on the ceiling light in October and never went back.", "Emma Hart"),
            Card("mu-light-oak-dining-chair", note=(
                "<p>Not cheap, but a chair you will keep for twenty years. Smoked oak is the quiet choice.</p>")),
        ),
    ),
    ArticleDef(
        slug="weekend-camping-checklist",
        title="The weekend camping checklist: what we actually pack",
        section="guides", language="en", category="camping", author="tom-walker", days_ago=21,
        tags=("camping", "checklist", "outdoors"),
        intro="Two nights, one car, no drama. The short list of kit that earned its place after a season of "
              "wet weekends.",
        hero=("FX-TNT2-MOSS", "FX-LTN-MOSS", "NF-MOON-PINE"),
        body=(
            Text("<p>Every list online has forty items. Ours has eight, and we have not missed anything in a year. "
                 "The rule: if it did not come out of the bag on the last two trips, it stays home.</p>"),
            Picture("scene:campsite", caption="Pitched in five minutes, lit for sixty hours.",
                    alt="A green tent, a lantern and a folding chair.", width="wide"),
            Heading("Shelter and light"),
            Card("fengxi-two-person-tent", badge="Best overall", note=(
                "<p>Two doors mean nobody climbs over anybody at 3 a.m. <i>On sale this month.</i></p>")),
            Card("fengxi-ultralight-tent", note=(
                "<p>Our favourite solo shelter is sold out until spring; the two-person tent above is the "
                "stand-in.</p>")),
            Heading("Sit, drink, carry"),
            Grid(("fengxi-camp-lantern", "northfield-moon-chair", "tidepool-insulated-bottle",
                  "tidepool-trail-bottle", "northfield-trail-pack-38l", "orbit-lab-pocket-speaker"),
                 heading="The rest of the list"),
            Quote("Pack the lantern where you can reach it in the dark. Obvious, until it isn’t.", "Tom Walker"),
            Text("<ul><li>Check the forecast twice.</li><li>Pitch the tent once at home.</li>"
                 "<li>Bring a bin bag for the wet fly.</li></ul>"),
        ),
    ),
    ArticleDef(
        slug="new-parents-first-month",
        title="母婴好物清单：新手爸妈的第一个月",
        section="guides", language="zh-hans", category="kids", author="zhou-nan", days_ago=30,
        tags=("母婴", "清单", "新手爸妈"),
        intro="第一个月什么都缺，又什么都不敢买。这份清单只列我们家两个孩子真正用上的东西。",
        hero=("XY-BEAR-CLOUD", "XY-BTL-MINT-160ML", "XY-NLT-LILAC"),
        body=(
            Text("<p>买母婴用品最容易犯的错，是一次买齐。宝宝的喜好要用了才知道，<b>先买小份、再补齐</b>。</p>"),
            Heading("喂奶"),
            Card("xiaoyun-glass-baby-bottle", sku="XY-BTL-MINT-160ML", badge="必备", note=(
                "<p>前三个月用 160ml 就够，玻璃瓶好清洗、不挂奶渍。</p>")),
            Text("<p>夜里喂奶，一盏暖光小夜灯比开大灯友好得多，宝宝醒得更少，大人也不会被晃醒。</p>"),
            Picture("scene:nursery", caption="婴儿房一角：小熊、积木和夜灯。", alt="小熊、积木和云朵夜灯"),
            Heading("陪玩"),
            Grid(("xiaoyun-cuddle-bear", "xiaoyun-beech-blocks", "xiaoyun-cloud-night-light", "xiaoyun-straw-cup"),
                 heading="周楠家在用的", columns="2"),
            Quote("别被囤货清单绑架，最好的育儿用品是一个能睡整觉的大人。", "周楠"),
        ),
    ),
    ArticleDef(
        slug="vitamin-c-vs-ceramides",
        title="Vitamin C serum or ceramide cream? What your skin needs this season",
        section="reviews", language="en", category="skincare", author="emma-hart", days_ago=38,
        tags=("skincare", "serum", "comparison"),
        intro="One brightens, one repairs. We tested both for eight weeks on six faces and found the answer "
              "depends on one question.",
        hero=("BY-VC-30ML", "BY-CER-50G", "BY-TNR-150"),
        body=(
            Text("<p>The question is simple: <b>is your skin dull, or is it angry?</b> Dull skin wants "
                 "vitamin C in the morning. Red, tight, flaky skin wants ceramides at night.</p>"),
            Compare(
                ("baiyu-vitamin-c-serum", "baiyu-ceramide-cream", "baiyu-hyaluronic-toner"),
                rows=(("Best for", ("Dullness, uneven tone", "Redness, dryness", "Everyone, first step")),
                      ("When", ("Morning", "Night", "Morning and night")),
                      ("Texture", ("Watery, slightly tacky", "Light cream", "Watery")),
                      ("Lasts", ("About 2 months (30 ml)", "About 3 months (50 g)", "About 2 months"))),
                heading="Three steps, side by side", winner=2,
                verdict="<p>If you can buy only one before winter, buy the <b>ceramide cream</b>; add vitamin C "
                        "when your skin has calmed down.</p>"),
            Heading("How to use vitamin C without stinging", "h3"),
            Text("<p>Start every other morning, on dry skin, followed by sunscreen. Keep the bottle in a drawer: "
                 "light and air turn it orange, and orange means it has stopped working.</p>"),
            Card("baiyu-vitamin-c-serum", sku="BY-VC-15ML", badge="Try first", note=(
                "<p>The 15 ml bottle is the sensible first buy: it finishes before it oxidises.</p>")),
            Card("baiyu-clear-sunscreen", note="<p>Vitamin C without sunscreen is wasted money.</p>"),
            Picture("scene:bathroom-shelf", caption="The whole routine fits on one shelf.",
                    alt="Serum, cream, sunscreen and toner bottles on a shelf."),
        ),
    ),
    ArticleDef(
        slug="pour-over-for-beginners",
        title="手冲咖啡入门：一只壶、一只滤杯就够了",
        section="guides", language="zh-hans", category="coffee-tea", author="lin-xiaoyu", days_ago=45,
        tags=("咖啡", "手冲", "入门"),
        intro="手冲咖啡的门槛没有你想的高。先买两样东西，把水温和注水练稳，比任何昂贵的磨豆机都重要。",
        hero=("CL-GNK-BLACK", "TP-POS-SNOW", "SC-MUG-OAT"),
        body=(
            Text("<p>入门配置只需要：一只<b>细口壶</b>、一只<b>滤杯</b>、滤纸和新鲜的豆子。电子秤可以晚点再买。</p>"),
            Card("copperleaf-gooseneck-kettle", badge="入门首选", note=(
                "<p>壶嘴细而长，水流能控制到一根筷子粗，新手也能注得很稳。</p>")),
            Card("tidepool-pour-over-set", sku="TP-POS-SAGE", note="<p>附送 40 张滤纸，够喝一个多月。</p>"),
            Heading("基本参数"),
            Text("<ol><li>粉水比 1:15，例如 15 克豆子配 225 毫升水。</li><li>水温 92°C 左右。</li>"
                 "<li>先闷蒸 30 秒，再分三次注水，总时长两分半。</li></ol>"),
            Picture("product:tidepool-pour-over-set:1", caption="陶瓷滤杯和玻璃分享壶。", alt="陶瓷滤杯套装"),
            Quote("手冲的乐趣不在于每一杯都完美，而在于每一杯都不一样。", "林晓雨"),
        ),
    ),
    ArticleDef(
        slug="desk-upgrades",
        title="Desk upgrades that earn their space",
        section="guides", language="en", category="tech", author="chen-mo", days_ago=52,
        tags=("desk", "work from home", "tech"),
        intro="A small desk punishes clutter. Six things that made our working days better, and one we "
              "would skip.",
        hero=("ML-ARC-WALNUT-2700K", "OL-SPK-SKY", "OL-WCH-SAND-42MM"),
        body=(
            Text("<p>We asked the whole team what lives on their desks and stayed after a month. "
                 "Light and sound came first; gadgets came last.</p>"),
            Picture("scene:desk", caption="Walnut lamp, pocket speaker, stoneware mug.",
                    alt="A desk with a lamp, a speaker and a mug.", width="wide"),
            Grid(("mu-light-arc-table-lamp", "orbit-lab-pocket-speaker", "orbit-lab-magnetic-power-bank",
                  "shancha-stoneware-mug", "orbit-lab-sport-watch", "quietwave-buds-lite"),
                 heading="Six keepers", columns="3"),
            Heading("The one we would skip"),
            Text("<p>Smart watches on a desk job are mostly a second screen for notifications. "
                 "If you run, the Orbit is excellent; if you don’t, save the money.</p>"),
            Card("orbit-lab-sport-watch", sku="OL-WCH-GRAPHITE-46MM", note=(
                "<p>Two weeks of battery is real. Only 46 mm left in sand.</p>")),
        ),
    ),
    ArticleDef(
        slug="commuter-backpack-test",
        title="通勤双肩包实测：22 升到底够不够用",
        section="reviews", language="zh-hans", category="outdoors", author="tom-walker", days_ago=60,
        tags=("背包", "通勤", "评测"),
        intro="电脑、饭盒、雨伞、一件外套。我们把同样的东西装进两只 Northfield 背包，通勤一个月。",
        hero=("NF-DAY-PINE", "NF-TRL-EMBER-ML", "TP-INS-CREAM-500ML"),
        body=(
            Text("<p>结论先说：<b>日常通勤 22 升刚好</b>，周五要直接出发去过周末的话，选 38 升。</p>"),
            Picture("scene:commute", caption="通勤的一天：背包、耳机、充电宝和保温杯。", alt="通勤装备", width="full"),
            Compare(
                ("northfield-daypack-22l", "northfield-trail-pack-38l"),
                rows=(("容量", ("22 L", "38 L")), ("重量", ("1.0 kg", "1.4 kg")),
                      ("电脑仓", ("16 英寸", "无，但有水袋仓")), ("背负", ("普通肩带", "可调背长 + 腰带"))),
                heading="两款对比", winner=1,
                verdict="<p>通勤选 <b>Daypack 22L</b>；徒步和两日游选 Trail Pack。</p>"),
            Card("northfield-daypack-22l", sku="NF-DAY-SAND", badge="仅剩一件", note="<p>沙色最受欢迎，库存不多。</p>"),
            Quote("背包好不好，要看下雨那天。", "Tom Walker"),
        ),
    ),
    ArticleDef(
        slug="carbon-steel-pan-review",
        title="Cast iron is heavy. Try carbon steel",
        section="reviews", language="en", category="kitchen", author="lin-xiaoyu", days_ago=74,
        tags=("cookware", "review", "kitchen"),
        intro="Half the weight, the same sear, and it gets better every week. Three months with the "
              "Copperleaf carbon steel pan.",
        hero=("CL-PAN-28CM", "CL-KNF-WALNUT", "SC-JAR-500ML"),
        body=(
            Text("<p>Carbon steel is what restaurant kitchens use: it heats fast, takes a ripping sear, and "
                 "builds its own non-stick layer. The catch is a little care: <i>dry it, oil it, done</i>.</p>"),
            Card("copperleaf-carbon-steel-pan", sku="CL-PAN-28CM", badge="Best size", note=(
                "<p>28 cm fits two steaks or four eggs, and it is on sale.</p>")),
            Heading("Carbon steel vs. the milk pan"),
            Compare(
                ("copperleaf-carbon-steel-pan", "copperleaf-milk-pan"),
                rows=(("Best for", ("Searing, stir-frying, eggs", "Milk, sauces, noodles for one")),
                      ("Weight", ("1.5 kg (28 cm)", "0.8 kg")),
                      ("Care", ("Dry and oil", "Dishwasher safe"))),
                winner=1, verdict="<p>Different jobs; the frying pan is the one to buy first. "
                                  "The milk pan is sold out for now.</p>"),
            Quote("Three months in, my eggs slide. I did not believe it either.", "Lin Xiaoyu"),
            Card("copperleaf-chef-knife", note="<p>A good pan deserves a sharp knife. 20% off both handles.</p>"),
        ),
    ),
    ArticleDef(
        slug="bedroom-lighting",
        title="卧室灯光：三盏灯搞定睡前氛围",
        section="guides", language="zh-hans", category="lighting", author="lin-xiaoyu", days_ago=88,
        tags=("灯光", "卧室", "家居"),
        intro="睡前一小时关掉主灯，用三盏低处的暖光代替，入睡会容易很多。",
        hero=("ML-BED-CREAM", "ML-FLR-SMOKED", "LL-THR-OAT-150X200"),
        body=(
            Look(
                hotspots=(("ML-BED-SAGE", "床头灯"), ("LL-THR-OAT-150X200", "盖毯"),
                          ("ML-CDL-WHITETEA", "香薰蜡烛")),
                caption="点击数字查看每件单品。", alt="床头灯、盖毯和香薰蜡烛", background="#efe3c8"),
            Text("<p>卧室灯光的原则：<b>低、暖、可调</b>。色温 2700K 以下，灯的位置低于视线。</p>"),
            Heading("床头：触控床头灯"),
            Card("mu-light-touch-bedside-lamp", badge="最值", note="<p>轻触三档，夜里起身不晃眼；雾蓝色已售罄。</p>"),
            Grid(("mu-light-paper-floor-lamp", "mu-light-scented-candle", "linen-loom-waffle-throw"),
                 heading="再加两样"),
        ),
    ),
    ArticleDef(
        slug="gifts-fragrance-and-lipstick",
        title="Gifts that feel personal: fragrance and lip colour",
        section="guides", language="en", category="beauty", author="emma-hart", days_ago=101,
        tags=("gifts", "beauty", "fragrance"),
        intro="A scent and a shade are the two beauty gifts people keep. How to choose without asking.",
        hero=("PB-EDP-50ML", "PB-LIP-ROSE", "PB-LIP-RED"),
        body=(
            Text("<p>When in doubt, go <b>clean and soft</b>: white tea over oud, rosewood over red.</p>"),
            Card("petal-bay-white-tea-parfum", sku="PB-EDP-30ML", badge="Safe bet", note=(
                "<p>The 30 ml is the right size for a gift: big enough to love, small enough to finish.</p>")),
            Card("petal-bay-velvet-lipstick", sku="PB-LIP-ROSE", note="<p>Rosewood suits almost everyone.</p>"),
            Grid(("petal-bay-velvet-lipstick", "petal-bay-hand-cream-trio", "mu-light-scented-candle",
                  "linen-loom-ceramic-vase"), heading="More gift ideas", columns="4"),
            Quote("Nobody has ever returned a candle.", "Emma Hart"),
        ),
    ),
    ArticleDef(
        slug="summer-skincare-basics",
        title="夏天护肤三件套：化妆水、防晒、卸妆",
        section="reviews", language="zh-hans", category="skincare", author="zhou-nan", days_ago=118,
        tags=("护肤", "防晒", "夏天"),
        intro="夏天护肤做减法：一瓶化妆水、一支防晒、一罐卸妆膏，够了。",
        hero=("BY-SUN-80ML", "BY-TNR-150", "BY-BLM-100G"),
        body=(
            Heading("防晒是唯一不能省的"),
            Text("<p>通勤也要涂，<b>每两小时补一次</b>。水感质地不闷痘，也不泛白。</p>"),
            Card("baiyu-clear-sunscreen", sku="BY-SUN-80ML", badge="大瓶更划算", note="<p>80ml 现在有折扣。</p>"),
            Compare(
                ("baiyu-hyaluronic-toner", "baiyu-cleansing-balm", "petal-bay-hand-cream-trio"),
                rows=(("步骤", ("爽肤", "卸妆", "护手")), ("质地", ("水感", "膏状化油", "乳霜")),
                      ("夏天必要性", ("高", "高", "低"))),
                heading="另外三样", winner=1,
                verdict="<p>化妆水和卸妆膏都值得买；护手霜三支装已经卖完，秋天再说。</p>"),
            Quote("夏天皮肤出问题，十次有八次是没卸干净。", "周楠"),
        ),
    ),
    ArticleDef(
        slug="why-we-love-a-thermos",
        title="Why we still love a good thermos",
        section="reviews", language="en", category="outdoors", author="tom-walker", days_ago=135,
        tags=("bottles", "outdoors", "review"),
        intro="Hot tea on a cold summit, ice water on a hot train. Three bottles, one winner.",
        hero=("TP-INS-INK-750ML", "TP-TRL-SKY", "XY-CUP-HONEY"),
        body=(
            Compare(
                ("tidepool-insulated-bottle", "tidepool-trail-bottle", "xiaoyun-straw-cup"),
                rows=(("Keeps hot", ("12 hours", "—", "—")), ("Keeps cold", ("24 hours", "1 hour", "—")),
                      ("Weight", ("340 g", "110 g", "150 g")), ("For", ("Everyone", "Runners, cyclists", "Toddlers"))),
                heading="Three bottles", winner=1,
                verdict="<p>The <b>insulated bottle</b> is the one to own. The ink 750 ml is sold out; the "
                        "500 ml is plenty.</p>"),
            Card("tidepool-insulated-bottle", sku="TP-INS-MIST-500ML", badge="Winner"),
            Quote("It still had warm tea in it when we got down at six.", "Tom Walker"),
        ),
    ),
)

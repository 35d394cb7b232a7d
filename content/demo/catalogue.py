"""The demo catalogue: categories, brands and products with their SKUs.

Plain data, no database access. Slugs and SKU codes are the keys the seed uses to
find rows again, so change a title freely but keep slugs and codes stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle, product


@dataclass(frozen=True)
class CategoryDef:
    slug: str
    name: str
    colour: str  # backdrop of this category's product pictures
    description: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class BrandDef:
    slug: str
    name: str
    country: str
    colour: str  # the brand's signature colour: wordmark, accents
    description: str


@dataclass(frozen=True)
class SkuDef:
    code: str
    options: dict[str, str]
    price: str
    stock: int
    compare_at_price: str | None = None
    active: bool = True


@dataclass(frozen=True)
class ProductDef:
    slug: str
    title: str
    brand: str
    category: str
    kind: str  # the drawing in content/demo/images.py
    summary_zh: str
    summary_en: str
    highlights: tuple[str, ...]
    skus: tuple[SkuDef, ...]
    active: bool = True
    images: int = 2

    @property
    def summary(self) -> str:
        return f"{self.summary_zh} {self.summary_en}"

    @property
    def description(self) -> str:
        items = "".join(f"<li>{point}</li>" for point in self.highlights)
        return (f"<p>{self.summary_zh}</p><p>{self.summary_en}</p>"
                f"<h3>亮点 Highlights</h3><ul>{items}</ul>")


CATEGORIES: tuple[CategoryDef, ...] = (
    CategoryDef("kitchen", "厨房 Kitchen", "#f3dcc8", "锅具、水壶和每天都用的杯子。Pans, kettles and everyday cups."),
    CategoryDef("coffee-tea", "咖啡与茶 Coffee & Tea", "#eadbc8", "手冲、泡茶的小工具。Pour-over and tea gear.", "kitchen"),
    CategoryDef("home", "家居 Home", "#e6e1d6", "让家更舒服的东西。Things that make a home feel right."),
    CategoryDef("lighting", "灯具 Lighting", "#efe3c8", "台灯、落地灯与夜灯。Table, floor and night lights.", "home"),
    CategoryDef("beauty", "美妆 Beauty", "#f6dfe2", "护肤、彩妆与香氛。Skincare, make-up and fragrance."),
    CategoryDef("skincare", "护肤 Skincare", "#f3e4e1", "精华、面霜与防晒。Serums, creams and sun care.", "beauty"),
    CategoryDef("tech", "数码 Tech", "#dfe5ee", "耳机、音箱与随身电子。Headphones, speakers, gadgets."),
    CategoryDef("audio", "音频 Audio", "#dce3ec", "降噪耳机与蓝牙音箱。Noise-cancelling and Bluetooth audio.", "tech"),
    CategoryDef("outdoors", "户外 Outdoors", "#dde7dc", "通勤、徒步与露营。Commuting, hiking and camping."),
    CategoryDef("camping", "露营 Camping", "#d9e4d3", "帐篷、营灯与折叠椅。Tents, lanterns and chairs.", "outdoors"),
    CategoryDef("kids", "母婴 Kids", "#e4e3f3", "给小朋友和新手爸妈。For little ones and new parents."),
)

BRANDS: tuple[BrandDef, ...] = (
    BrandDef("shancha", "山茶 Shancha", "中国 China", "#6f9a82",
             "景德镇的陶瓷工作室，做日常用的壶与杯。A Jingdezhen ceramics studio making everyday pots and cups."),
    BrandDef("copperleaf", "Copperleaf", "Germany", "#b8734a",
             "Cookware forged in Solingen since 1962. 索林根锻造的锅具与刀具。"),
    BrandDef("mu-light", "木与光 Mu&Light", "中国 China", "#c9a36a",
             "橡木与纸做的灯，光线温和。Oak-and-paper lamps with a gentle light."),
    BrandDef("linen-loom", "麻与织 Linen & Loom", "中国 China", "#a38f7a",
             "宁波的纺织作坊，专做亚麻与棉。A Ningbo weaving workshop for linen and cotton."),
    BrandDef("baiyu", "白玉 Baiyu", "中国 China", "#d7a9a3",
             "成分简单的护肤品牌。Skincare with short ingredient lists."),
    BrandDef("petal-bay", "Petal Bay", "France", "#b56576",
             "Small-batch fragrance and lip colour from Grasse. 格拉斯的小批量香氛与唇彩。"),
    BrandDef("quietwave", "Quietwave", "Denmark", "#3d5a80",
             "Headphones tuned in Copenhagen. 哥本哈根调音的耳机。"),
    BrandDef("orbit-lab", "轨迹 Orbit Lab", "中国 China", "#4a4e69",
             "深圳的小团队，做好用的随身电子。A Shenzhen team making pocket electronics."),
    BrandDef("northfield", "Northfield", "United Kingdom", "#52796f",
             "Packs and camp furniture built for wet weekends. 为雨天周末设计的背包与营地家具。"),
    BrandDef("tidepool", "Tidepool", "Japan", "#5e8ca8",
             "Bottles and drinkware that keep their promise. 说到做到的保温杯与水具。"),
    BrandDef("fengxi", "风溪 Fengxi", "中国 China", "#8a9a5b",
             "杭州的户外品牌，轻量帐篷与营灯。Lightweight tents and lanterns from Hangzhou."),
    BrandDef("xiaoyun", "小云 Cloudlet", "中国 China", "#9d8ec7",
             "给婴幼儿的安心用品。Calm, safe things for babies and toddlers."),
)

# Option value → (code used in SKU codes, colour used in pictures)
COLOURS: dict[str, tuple[str, str]] = {
    "鼠尾草绿 Sage": ("SAGE", "#7fa88c"), "象牙白 Ivory": ("IVORY", "#efe6d6"),
    "墨黑 Ink": ("INK", "#3a3d44"), "青瓷 Celadon": ("CELADON", "#9cc5b5"),
    "铜色 Copper": ("COPPER", "#b87333"), "哑光黑 Matte black": ("BLACK", "#2f3033"),
    "陶土 Terracotta": ("TERRA", "#c8734f"), "雾蓝 Mist blue": ("MIST", "#8fa9c4"),
    "燕麦 Oat": ("OAT", "#d9c7a7"), "胡桃木 Walnut": ("WALNUT", "#6b4a35"),
    "橡木 Oak": ("OAK", "#c9a36a"), "烟熏橡木 Smoked oak": ("SMOKED", "#7a5c44"),
    "奶油 Cream": ("CREAM", "#f2e6c9"), "芥末黄 Mustard": ("MUSTARD", "#d4a537"),
    "砖红 Brick": ("BRICK", "#a84f3c"), "松绿 Pine": ("PINE", "#3f6b57"),
    "沙色 Sand": ("SAND", "#cdb48e"), "海军蓝 Navy": ("NAVY", "#2f4366"),
    "珍珠白 Pearl": ("PEARL", "#eeeeea"), "石墨 Graphite": ("GRAPHITE", "#4b4f56"),
    "樱粉 Blossom": ("BLOSSOM", "#e6a4b4"), "豆沙 Rosewood": ("ROSE", "#a35d6a"),
    "正红 Classic red": ("RED", "#b3262f"), "裸杏 Apricot nude": ("NUDE", "#d49a7c"),
    "梅子 Plum": ("PLUM", "#6d2e46"), "苔绿 Moss": ("MOSS", "#6b7f45"),
    "橙 Ember": ("EMBER", "#d96c2c"), "天蓝 Sky": ("SKY", "#7fb3d5"),
    "云灰 Cloud grey": ("CLOUD", "#b9bcc4"), "蜜黄 Honey": ("HONEY", "#e0b35a"),
    "薄荷 Mint": ("MINT", "#9ad1bd"), "浅紫 Lilac": ("LILAC", "#b8a6d9"),
    "焦糖 Caramel": ("CARAMEL", "#b07a46"), "雪白 Snow": ("SNOW", "#f4f4f2"),
}


def colour_hex(options: dict[str, str]) -> str | None:
    """The picture colour of a SKU, from its colour option if it has one."""
    for value in options.values():
        if value in COLOURS:
            return COLOURS[value][1]
    return None


def _code_part(value: str) -> str:
    """``"鼠尾草绿 Sage"`` → ``"SAGE"``, ``"150×200"`` → ``"150X200"``: SKU codes stay ASCII."""
    if value in COLOURS:
        return COLOURS[value][0]
    value = value.upper().replace("×", "X")
    return "".join(ch for ch in value if ch.isascii() and ch.isalnum())


def variants(prefix: str, *, axes: dict[str, list[str]], prices: dict[str, str] | str,
             stock: tuple[int, ...] = (40,), compare: dict[str, str] | None = None) -> tuple[SkuDef, ...]:
    """Every combination of ``axes`` as a SKU. ``prices`` and ``compare`` may be keyed by
    any option value (a size costs more); ``stock`` repeats over the combinations."""
    names = list(axes)
    stocks = cycle(stock)
    skus = []
    for combo in product(*(axes[name] for name in names)):
        options = dict(zip(names, combo, strict=True))
        code = "-".join([prefix, *(_code_part(v) for v in combo)])
        price = prices if isinstance(prices, str) else next(prices[v] for v in combo if v in prices)
        was = next((compare[v] for v in combo if v in (compare or {})), None)
        skus.append(SkuDef(code=code, options=options, price=price, compare_at_price=was, stock=next(stocks)))
    return tuple(skus)


def single(code: str, price: str, stock: int, compare: str | None = None, **options: str) -> tuple[SkuDef, ...]:
    return (SkuDef(code=code, options=dict(options), price=price, stock=stock, compare_at_price=compare),)


C = "颜色"
CO = "Colour"
SOLD_OUT = (0,)

PRODUCTS: tuple[ProductDef, ...] = (
    # ------------------------------------------------------------------ kitchen
    ProductDef(
        "shancha-glass-kettle", "山茶 温控玻璃电水壶 1.5L", "shancha", "kitchen", "kettle",
        "五档温控，绿茶 80°C、咖啡 92°C 一键到位。", "Five temperature presets, from 80 °C green tea to 92 °C coffee.",
        ("1.5 升硼硅玻璃壶身 · 1.5 L borosilicate body", "保温 2 小时 · Keeps warm for 2 hours",
         "304 不锈钢底盘 · 304 stainless base"),
        variants("SC-KTL", axes={C: ["鼠尾草绿 Sage", "象牙白 Ivory", "墨黑 Ink"]}, prices="299.00",
                 stock=(64, 3, 22), compare={"墨黑 Ink": "369.00"}), images=3),
    ProductDef(
        "copperleaf-gooseneck-kettle", "Copperleaf Gooseneck Pour-over Kettle 手冲细口壶", "copperleaf", "coffee-tea",
        "kettle", "细长壶嘴，水流稳定可控。", "A slim spout for a steady, controllable pour.",
        ("0.9 L · 0.9 升", "Works on gas, induction and ceramic hobs · 燃气、电磁炉通用", "Temperature dial in the lid · 壶盖温度计"),
        variants("CL-GNK", axes={CO: ["铜色 Copper", "哑光黑 Matte black"]}, prices="459.00", stock=(18, 4))),
    ProductDef(
        "shancha-stoneware-mug", "山茶 粗陶马克杯 350ml", "shancha", "kitchen", "mug",
        "手拉坯粗陶，每一只釉色略有不同。", "Hand-thrown stoneware; every glaze is a little different.",
        ("350 毫升 · 350 ml", "可进洗碗机与微波炉 · Dishwasher and microwave safe", "釉下无铅 · Lead-free glaze"),
        variants("SC-MUG", axes={C: ["鼠尾草绿 Sage", "陶土 Terracotta", "雾蓝 Mist blue", "燕麦 Oat"]},
                 prices="69.00", stock=(120, 80, 2, 45))),
    ProductDef(
        "copperleaf-carbon-steel-pan", "Copperleaf Carbon Steel Frying Pan 碳钢平底锅", "copperleaf", "kitchen", "pan",
        "比铸铁轻一半，越用越不粘。", "Half the weight of cast iron, more non-stick with every use.",
        ("Pre-seasoned · 已开锅", "Oven safe to 300 °C · 可进烤箱", "Riveted steel handle · 铆接钢柄"),
        variants("CL-PAN", axes={"Size": ["24 cm", "28 cm", "30 cm"]},
                 prices={"24 cm": "219.00", "28 cm": "259.00", "30 cm": "289.00"}, stock=(35, 12, 5),
                 compare={"28 cm": "329.00"})),
    ProductDef(
        "shancha-side-handle-teapot", "山茶 侧把茶壶 450ml", "shancha", "coffee-tea", "teapot",
        "侧把设计，单手出汤不烫手。", "A side handle for a one-handed, cool-fingered pour.",
        ("450 毫升 · 450 ml", "内置陶瓷滤网 · Built-in ceramic strainer", "青瓷釉 · Celadon glaze"),
        variants("SC-POT", axes={C: ["青瓷 Celadon", "墨黑 Ink"]}, prices="189.00", stock=(26, 9))),
    ProductDef(
        "tidepool-pour-over-set", "Tidepool Ceramic Pour-over Set 陶瓷滤杯套装", "tidepool", "coffee-tea", "pourover",
        "滤杯加玻璃分享壶，一到两人份。", "Dripper and glass server, for one or two cups.",
        ("V60-size ceramic dripper · V60 规格陶瓷滤杯", "600 ml glass server · 600 毫升分享壶", "40 filter papers included · 附 40 张滤纸"),
        variants("TP-POS", axes={CO: ["雪白 Snow", "鼠尾草绿 Sage"]}, prices="159.00", stock=(50, 30))),
    ProductDef(
        "copperleaf-chef-knife", "Copperleaf Chef’s Knife 20 cm 三合钢主厨刀", "copperleaf", "kitchen", "knife",
        "三层复合钢，锋利又好打理。", "Three-layer clad steel: sharp, and easy to care for.",
        ("20 cm blade · 20 厘米刃长", "HRC 61 core · 芯钢硬度 61", "Walnut or black pakka handle · 胡桃木或黑色手柄"),
        variants("CL-KNF", axes={"Handle": ["胡桃木 Walnut", "哑光黑 Matte black"]}, prices="399.00",
                 stock=(14, 8), compare={"胡桃木 Walnut": "499.00", "哑光黑 Matte black": "499.00"})),
    ProductDef(
        "shancha-storage-jar", "山茶 密封储物罐", "shancha", "kitchen", "jar",
        "硅胶圈密封，装茶叶、咖啡豆、米面都行。", "A silicone seal for tea, coffee beans or rice.",
        ("三种容量 · Three sizes", "榉木盖 · Beech lid", "可叠放 · Stackable"),
        variants("SC-JAR", axes={"容量": ["500ml", "1L", "1.5L"]},
                 prices={"500ml": "39.00", "1L": "49.00", "1.5L": "59.00"}, stock=(90, 60, 4))),
    ProductDef(
        "shancha-classic-ceramic-kettle", "山茶 经典陶瓷电水壶（旧款）", "shancha", "kitchen", "kettle",
        "陶瓷内胆的老款电水壶，已由玻璃温控款替代。", "The old ceramic-lined kettle, replaced by the glass temperature kettle.",
        ("1.2 升 · 1.2 L", "无温控 · No temperature control", "已停产 · Discontinued"),
        variants("SC-KTC", axes={C: ["象牙白 Ivory", "青瓷 Celadon"]}, prices="239.00", stock=(6, 0)),
        active=False, images=1),
    ProductDef(
        "copperleaf-milk-pan", "Copperleaf Milk Pan 16 cm 小奶锅", "copperleaf", "kitchen", "pan",
        "热牛奶、煮一人份面条刚刚好。", "Just right for warm milk or noodles for one.",
        ("16 cm, 1.2 L · 16 厘米", "Pouring lips both sides · 双侧倒口", "Induction ready · 电磁炉可用"),
        variants("CL-MLK", axes={CO: ["铜色 Copper", "奶油 Cream"]}, prices="199.00", stock=SOLD_OUT), images=1),
    # ------------------------------------------------------------------ home
    ProductDef(
        "mu-light-arc-table-lamp", "木与光 弧光台灯", "mu-light", "lighting", "lamp",
        "橡木灯杆配和纸灯罩，光线柔和不刺眼。", "An oak stem and washi shade for soft, glare-free light.",
        ("E27 灯座，附 LED 灯泡 · E27 with LED bulb", "无极调光 · Stepless dimmer", "高 48 厘米 · 48 cm tall"),
        variants("ML-ARC", axes={"Finish": ["橡木 Oak", "胡桃木 Walnut"], "色温": ["2700K", "4000K"]},
                 prices={"橡木 Oak": "599.00", "胡桃木 Walnut": "659.00"}, stock=(20, 7, 3, 11)), images=3),
    ProductDef(
        "mu-light-paper-floor-lamp", "木与光 纸灯落地灯", "mu-light", "lighting", "lamp",
        "一盏就能照亮客厅的一角。", "One lamp that lights a whole corner of the living room.",
        ("高 150 厘米 · 150 cm tall", "脚踏开关 · Foot switch", "可拆卸纸罩 · Removable paper shade"),
        variants("ML-FLR", axes={"Finish": ["橡木 Oak", "烟熏橡木 Smoked oak"]}, prices="899.00", stock=(9, 2))),
    ProductDef(
        "mu-light-touch-bedside-lamp", "木与光 触控床头灯", "mu-light", "lighting", "lamp",
        "轻触三档亮度，夜里起身不晃眼。", "Three brightness levels at a touch; no glare at night.",
        ("USB-C 充电 · USB-C charging", "续航 30 小时 · 30-hour battery", "三档亮度 · Three levels"),
        variants("ML-BED", axes={C: ["奶油 Cream", "鼠尾草绿 Sage", "雾蓝 Mist blue"]}, prices="199.00",
                 stock=(55, 40, 0), compare={"雾蓝 Mist blue": "239.00"})),
    ProductDef(
        "linen-loom-linen-cushion", "麻与织 亚麻靠垫 45×45", "linen-loom", "home", "cushion",
        "水洗亚麻，越洗越软。", "Stonewashed linen that softens with every wash.",
        ("含羽绒芯 · Feather insert included", "隐形拉链 · Hidden zip", "可机洗 · Machine washable"),
        variants("LL-CSN", axes={C: ["燕麦 Oat", "芥末黄 Mustard", "砖红 Brick", "松绿 Pine", "雾蓝 Mist blue"]},
                 prices="129.00", stock=(70, 33, 5, 24, 18),
                 compare={"芥末黄 Mustard": "159.00", "砖红 Brick": "159.00"}), images=3),
    ProductDef(
        "linen-loom-waffle-throw", "麻与织 华夫格盖毯", "linen-loom", "home", "cushion",
        "沙发上的一条毯子，四季都用得上。", "A throw for the sofa that works in every season.",
        ("纯棉华夫格 · Cotton waffle weave", "两种尺寸 · Two sizes", "可机洗 · Machine washable"),
        variants("LL-THR", axes={C: ["燕麦 Oat", "松绿 Pine"], "Size": ["130×170", "150×200"]},
                 prices={"130×170": "239.00", "150×200": "299.00"}, stock=(25, 14, 8, 1))),
    ProductDef(
        "mu-light-oak-dining-chair", "木与光 橡木餐椅", "mu-light", "home", "chair",
        "榫卯结构，坐二十年也不晃。", "Mortise-and-tenon joints that stay tight for decades.",
        ("北美白橡木 · White oak", "座高 45 厘米 · 45 cm seat height", "免安装 · Arrives assembled"),
        variants("ML-CHR", axes={"Finish": ["橡木 Oak", "烟熏橡木 Smoked oak", "胡桃木 Walnut"]},
                 prices={"橡木 Oak": "1299.00", "烟熏橡木 Smoked oak": "1399.00", "胡桃木 Walnut": "1599.00"},
                 stock=(8, 3, 12))),
    ProductDef(
        "linen-loom-ceramic-vase", "麻与织 手作陶瓶", "linen-loom", "home", "vase",
        "一枝干花就很好看。", "Looks lovely with a single dried stem.",
        ("高 24 厘米 · 24 cm tall", "内壁施釉可装水 · Glazed inside, holds water", "每只略有不同 · Each one unique"),
        variants("LL-VAS", axes={C: ["雾蓝 Mist blue", "陶土 Terracotta", "象牙白 Ivory"]},
                 prices="159.00", stock=(30, 17, 44))),
    ProductDef(
        "mu-light-scented-candle", "木与光 木质香薰蜡烛 200g", "mu-light", "home", "candle",
        "大豆蜡，燃烧约 45 小时。", "Soy wax, about 45 hours of burn time.",
        ("棉芯 · Cotton wick", "可回收玻璃杯 · Reusable glass", "三种香型 · Three scents"),
        variants("ML-CDL", axes={"香型": ["雪松 Cedar", "白茶 White tea", "无花果 Fig"]},
                 prices="149.00", stock=(60, 2, 38))),
    # ------------------------------------------------------------------ beauty
    ProductDef(
        "baiyu-vitamin-c-serum", "白玉 15% 维C精华", "baiyu", "skincare", "serum",
        "15% 左旋维C加维E与阿魏酸，提亮肤色。", "15% L-ascorbic acid with vitamin E and ferulic acid for brightness.",
        ("避光滴管瓶 · Light-proof dropper", "无香精 · Fragrance-free", "开封后 3 个月内用完 · Use within 3 months"),
        variants("BY-VC", axes={"容量": ["15ml", "30ml"]}, prices={"15ml": "189.00", "30ml": "329.00"},
                 stock=(48, 26), compare={"30ml": "378.00"})),
    ProductDef(
        "baiyu-ceramide-cream", "白玉 神经酰胺修护面霜", "baiyu", "skincare", "cream",
        "三重神经酰胺，适合换季泛红的皮肤。", "Three ceramides for skin that flares up when seasons change.",
        ("无酒精、无香精 · No alcohol, no fragrance", "质地轻盈 · Light texture", "替换装更环保 · Refill pods"),
        (SkuDef("BY-CER-30G", {"规格": "30g"}, "219.00", 40),
         SkuDef("BY-CER-50G", {"规格": "50g"}, "299.00", 22),
         SkuDef("BY-CER-REFILL", {"规格": "50g 替换装 Refill"}, "259.00", 3))),
    ProductDef(
        "baiyu-clear-sunscreen", "白玉 清透防晒乳 SPF50+ PA++++", "baiyu", "skincare", "tube",
        "水感质地不泛白，通勤一支搞定。", "A watery, no-white-cast texture for the commute.",
        ("SPF50+ PA++++", "防水防汗 · Water and sweat resistant", "可作妆前 · Works under make-up"),
        variants("BY-SUN", axes={"容量": ["40ml", "80ml"]}, prices={"40ml": "129.00", "80ml": "199.00"},
                 stock=(150, 9), compare={"80ml": "258.00"})),
    ProductDef(
        "petal-bay-velvet-lipstick", "Petal Bay Velvet Lipstick 丝绒唇膏", "petal-bay", "beauty", "lipstick",
        "丝绒雾面，不拔干。", "A velvet matte finish that doesn’t dry out lips.",
        ("3.5 g", "Refillable metal case · 可替换金属管", "Vegan formula · 纯素配方"),
        variants("PB-LIP", axes={"Shade": ["正红 Classic red", "豆沙 Rosewood", "裸杏 Apricot nude",
                                           "梅子 Plum", "樱粉 Blossom"]},
                 prices="169.00", stock=(42, 58, 4, 15, 0)), images=3),
    ProductDef(
        "petal-bay-white-tea-parfum", "Petal Bay White Tea Eau de Parfum 白茶淡香精", "petal-bay", "beauty", "perfume",
        "白茶、佛手柑和雪松，干净的皂感。", "White tea, bergamot and cedar: clean and soapy.",
        ("Eau de parfum · 淡香精", "Made in Grasse · 格拉斯制造", "Gift box included · 附礼盒"),
        variants("PB-EDP", axes={"Size": ["30ml", "50ml", "100ml"]},
                 prices={"30ml": "399.00", "50ml": "599.00", "100ml": "899.00"}, stock=(21, 13, 5))),
    ProductDef(
        "baiyu-hyaluronic-toner", "白玉 玻尿酸保湿化妆水 150ml", "baiyu", "skincare", "serum",
        "五种分子量玻尿酸，拍完不黏。", "Five sizes of hyaluronic acid, never sticky.",
        ("150 毫升 · 150 ml", "pH 5.5", "替换装 · Refill pouch"),
        (SkuDef("BY-TNR-150", {"规格": "150ml"}, "139.00", 66),
         SkuDef("BY-TNR-REFILL", {"规格": "替换装 Refill"}, "109.00", 31))),
    ProductDef(
        "petal-bay-hand-cream-trio", "Petal Bay Hand Cream Trio 护手霜三支装", "petal-bay", "beauty", "tube",
        "三种香味各 30ml，秋冬送礼首选。", "Three 30 ml scents; the autumn gift everyone asks for.",
        ("Shea butter · 乳木果油", "Non-greasy · 不油腻", "Limited edition · 限量"),
        variants("PB-HND", axes={"Set": ["Garden 花园", "Citrus 柑橘"]}, prices="189.00", stock=SOLD_OUT)),
    ProductDef(
        "baiyu-cleansing-balm", "白玉 温和卸妆膏 100g", "baiyu", "skincare", "cream",
        "化开成油，防水睫毛膏也能卸干净。", "Melts into an oil that lifts even waterproof mascara.",
        ("100 克 · 100 g", "乳化快不糊眼 · Rinses clean", "附刮勺 · Spatula included"),
        variants("BY-BLM", axes={"规格": ["100g", "两件装 Duo"]}, prices={"100g": "149.00", "两件装 Duo": "259.00"},
                 stock=(73, 19)), images=1),
    # ------------------------------------------------------------------ tech
    ProductDef(
        "quietwave-qw700-headphones", "Quietwave QW700 Noise-cancelling Headphones 降噪头戴耳机", "quietwave", "audio",
        "headphones", "地铁上也能听清播客。", "Hear your podcast clearly, even on the metro.",
        ("Adaptive ANC · 自适应降噪", "40-hour battery · 40 小时续航", "Multipoint Bluetooth 5.3 · 双设备连接"),
        variants("QW-700", axes={CO: ["哑光黑 Matte black", "沙色 Sand", "海军蓝 Navy"]}, prices="1499.00",
                 stock=(36, 12, 4), compare={"哑光黑 Matte black": "1799.00", "沙色 Sand": "1799.00",
                                             "海军蓝 Navy": "1799.00"}), images=3),
    ProductDef(
        "quietwave-buds-pro", "Quietwave Buds Pro 降噪入耳式耳机", "quietwave", "audio", "earbuds",
        "小巧的降噪耳塞，通话清晰。", "Small noise-cancelling buds with clear calls.",
        ("ANC + transparency · 降噪与通透", "8 h + 24 h with case · 单次 8 小时", "IPX4"),
        variants("QW-BPRO", axes={CO: ["珍珠白 Pearl", "石墨 Graphite", "鼠尾草绿 Sage"]}, prices="799.00",
                 stock=(80, 44, 3))),
    ProductDef(
        "quietwave-buds-lite", "Quietwave Buds Lite 入耳式耳机", "quietwave", "audio", "earbuds",
        "不降噪，但轻、便宜、音质干净。", "No ANC, but light, affordable and clean-sounding.",
        ("4.2 g per bud · 单耳 4.2 克", "6 h + 18 h", "USB-C"),
        variants("QW-BLT", axes={CO: ["珍珠白 Pearl", "石墨 Graphite"]}, prices="299.00", stock=(120, 95))),
    ProductDef(
        "quietwave-open-ear", "Quietwave Open 开放式耳机", "quietwave", "audio", "earbuds",
        "不入耳，跑步通勤都能听见路况。", "Nothing in the ear, so you still hear the traffic.",
        ("Open-ear design · 开放式", "IP55", "7 h battery · 7 小时续航"),
        variants("QW-OPEN", axes={CO: ["石墨 Graphite", "沙色 Sand"]}, prices="699.00", stock=SOLD_OUT)),
    ProductDef(
        "quietwave-neckband", "Quietwave Neckband 颈挂式耳机（停产）", "quietwave", "audio", "earbuds",
        "颈挂式老款，已由 Buds Lite 接替。", "The old neckband model, succeeded by Buds Lite.",
        ("Discontinued · 已停产", "12 h battery · 12 小时续航", "Magnetic buds · 磁吸耳塞"),
        variants("QW-NECK", axes={CO: ["石墨 Graphite", "海军蓝 Navy"]}, prices="249.00", stock=(3, 0)),
        active=False, images=1),
    ProductDef(
        "orbit-lab-pocket-speaker", "轨迹 Orbit Lab 便携蓝牙音箱", "orbit-lab", "audio", "speaker",
        "巴掌大小，露营和浴室都能用。", "Palm-sized; fine for camping and the shower.",
        ("IP67 防水 · IP67 waterproof", "12 小时续航 · 12-hour battery", "两台可组立体声 · Stereo pairing"),
        variants("OL-SPK", axes={C: ["橙 Ember", "石墨 Graphite", "天蓝 Sky"]}, prices="399.00",
                 stock=(28, 61, 5), compare={"橙 Ember": "459.00"})),
    ProductDef(
        "orbit-lab-magnetic-power-bank", "轨迹 磁吸充电宝 10000mAh", "orbit-lab", "tech", "powerbank",
        "吸在手机背面，边走边充。", "Snaps onto your phone and charges as you walk.",
        ("10000 毫安时 · 10,000 mAh", "20W 快充 · 20 W fast charge", "可带上飞机 · Flight-safe"),
        variants("OL-PWR", axes={C: ["云灰 Cloud grey", "石墨 Graphite", "薄荷 Mint"]}, prices="199.00",
                 stock=(140, 75, 22))),
    ProductDef(
        "orbit-lab-sport-watch", "轨迹 Orbit 运动手表", "orbit-lab", "tech", "watch",
        "双频 GPS，两周一充。", "Dual-band GPS and two weeks between charges.",
        ("双频 GPS · Dual-band GPS", "14 天续航 · 14-day battery", "5 ATM 防水 · 5 ATM water resistant"),
        variants("OL-WCH", axes={"表带 Strap": ["石墨 Graphite", "沙色 Sand"], "Size": ["42mm", "46mm"]},
                 prices={"42mm": "1099.00", "46mm": "1199.00"}, stock=(17, 9, 2, 13))),
    # ------------------------------------------------------------------ outdoors
    ProductDef(
        "northfield-daypack-22l", "Northfield Daypack 22L 城市双肩包", "northfield", "outdoors", "backpack",
        "通勤、短途都合适的 22 升。", "Twenty-two litres that suit the commute and a weekend away.",
        ("16-inch laptop sleeve · 16 英寸电脑仓", "Recycled nylon, waterproof zips · 再生尼龙、防水拉链", "1 kg"),
        variants("NF-DAY", axes={CO: ["哑光黑 Matte black", "松绿 Pine", "沙色 Sand", "砖红 Brick"]},
                 prices="459.00", stock=(52, 30, 1, 16)), images=3),
    ProductDef(
        "northfield-trail-pack-38l", "Northfield Trail Pack 38L 徒步背包", "northfield", "camping", "backpack",
        "可调背长，一日到两日的徒步。", "An adjustable back for one- and two-day hikes.",
        ("Adjustable torso · 可调背长", "Rain cover included · 附防雨罩", "1.4 kg"),
        variants("NF-TRL", axes={CO: ["松绿 Pine", "橙 Ember"], "Size": ["S/M", "M/L"]}, prices="899.00",
                 stock=(11, 6, 3, 9), compare={"橙 Ember": "1099.00"})),
    ProductDef(
        "tidepool-insulated-bottle", "Tidepool 保温杯", "tidepool", "outdoors", "bottle",
        "冰水 24 小时，热茶 12 小时。", "Ice for 24 hours, hot tea for 12.",
        ("双层真空 · Double-wall vacuum", "不锈钢 316 内胆 · 316 steel inside", "杯盖可当杯子 · Cup lid"),
        variants("TP-INS", axes={C: ["雾蓝 Mist blue", "奶油 Cream", "墨黑 Ink"], "容量": ["500ml", "750ml"]},
                 prices={"500ml": "149.00", "750ml": "179.00"}, stock=(88, 40, 63, 5, 27, 0))),
    ProductDef(
        "fengxi-two-person-tent", "风溪 双人帐篷", "fengxi", "camping", "tent",
        "一个人五分钟搭好，2.1 公斤。", "One person pitches it in five minutes; 2.1 kg.",
        ("双门双前厅 · Two doors, two porches", "PU3000 防水 · PU 3000 mm", "2.1 公斤 · 2.1 kg"),
        variants("FX-TNT2", axes={C: ["苔绿 Moss", "沙色 Sand"]}, prices="1299.00", stock=(14, 6),
                 compare={"苔绿 Moss": "1499.00", "沙色 Sand": "1499.00"}), images=3),
    ProductDef(
        "fengxi-camp-lantern", "风溪 复古露营灯", "fengxi", "camping", "lantern",
        "暖光 2000K，挂在帐篷里不刺眼。", "A warm 2000 K glow that won’t dazzle inside a tent.",
        ("300 流明 · 300 lm", "充电宝功能 · Doubles as a power bank", "续航 60 小时 · 60-hour battery"),
        variants("FX-LTN", axes={C: ["苔绿 Moss", "奶油 Cream"]}, prices="189.00", stock=(45, 20))),
    ProductDef(
        "northfield-moon-chair", "Northfield Moon Chair 折叠月亮椅", "northfield", "camping", "chair",
        "坐进去就不想起来。", "Once you sit down you won’t want to get up.",
        ("Holds 120 kg · 承重 120 公斤", "Packs to 35 cm · 收纳 35 厘米", "1.1 kg"),
        variants("NF-MOON", axes={CO: ["松绿 Pine", "沙色 Sand", "橙 Ember"]}, prices="259.00",
                 stock=(34, 25, 4))),
    ProductDef(
        "tidepool-trail-bottle", "Tidepool Trail Bottle 运动水壶 600ml", "tidepool", "outdoors", "bottle",
        "单手按压开盖，骑车跑步都方便。", "One-press lid for cycling and running.",
        ("Tritan, BPA-free · 无双酚A", "600 ml", "Leak-proof · 防漏"),
        variants("TP-TRL", axes={CO: ["天蓝 Sky", "薄荷 Mint", "橙 Ember", "石墨 Graphite"]}, prices="89.00",
                 stock=(100, 72, 40, 0))),
    ProductDef(
        "fengxi-ultralight-tent", "风溪 一人超轻帐 1.1kg", "fengxi", "camping", "tent",
        "用登山杖撑起的超轻单人帐。", "An ultralight solo tent pitched with trekking poles.",
        ("1.1 公斤 · 1.1 kg", "20D 硅涂尼龙 · 20D silnylon", "需自备登山杖 · Trekking poles required"),
        variants("FX-TNT1", axes={C: ["苔绿 Moss", "云灰 Cloud grey"]}, prices="1099.00", stock=SOLD_OUT),
        images=1),
    # ------------------------------------------------------------------ kids
    ProductDef(
        "xiaoyun-glass-baby-bottle", "小云 宽口玻璃奶瓶", "xiaoyun", "kids", "baby_bottle",
        "高硼硅玻璃，耐冷热冲击。", "Borosilicate glass that copes with hot and cold.",
        ("防胀气奶嘴 · Anti-colic teat", "硅胶保护套 · Silicone sleeve", "宽口好清洗 · Wide neck"),
        variants("XY-BTL", axes={C: ["薄荷 Mint", "浅紫 Lilac"], "容量": ["160ml", "240ml"]},
                 prices={"160ml": "99.00", "240ml": "119.00"}, stock=(60, 48, 37, 2))),
    ProductDef(
        "xiaoyun-cuddle-bear", "小云 安抚小熊", "xiaoyun", "kids", "bear",
        "可机洗的有机棉小熊，从出生就能抱。", "A washable organic-cotton bear, safe from birth.",
        ("有机棉 · Organic cotton", "可机洗 · Machine washable", "绣花眼睛 · Embroidered eyes"),
        variants("XY-BEAR", axes={C: ["焦糖 Caramel", "云灰 Cloud grey", "樱粉 Blossom"]}, prices="129.00",
                 stock=(44, 27, 5)), images=3),
    ProductDef(
        "xiaoyun-beech-blocks", "小云 榉木积木", "xiaoyun", "kids", "blocks",
        "水性漆榉木积木，咬了也不怕。", "Beech blocks in water-based paint, fine to chew.",
        ("欧洲榉木 · European beech", "水性漆 · Water-based paint", "附收纳布袋 · Cotton bag"),
        variants("XY-BLK", axes={"规格": ["50 粒 pcs", "100 粒 pcs"]},
                 prices={"50 粒 pcs": "159.00", "100 粒 pcs": "249.00"}, stock=(38, 12),
                 compare={"100 粒 pcs": "299.00"})),
    ProductDef(
        "xiaoyun-straw-cup", "小云 儿童吸管杯 300ml", "xiaoyun", "kids", "bottle",
        "重力球吸管，怎么拿都能喝到。", "A weighted straw, so every sip works at any angle.",
        ("300 毫升 · 300 ml", "防漏 · Leak-proof", "可拆洗 · Comes apart for cleaning"),
        variants("XY-CUP", axes={C: ["蜜黄 Honey", "天蓝 Sky", "樱粉 Blossom"]}, prices="79.00",
                 stock=(90, 66, 0))),
    ProductDef(
        "xiaoyun-cloud-night-light", "小云 云朵夜灯", "xiaoyun", "kids", "lamp",
        "夜里喂奶的一点暖光。", "A little warm light for night feeds.",
        ("定时关灯 · Auto-off timer", "拍一下就亮 · Tap to switch", "USB-C"),
        variants("XY-NLT", axes={C: ["奶油 Cream", "浅紫 Lilac"]}, prices="99.00", stock=(57, 23)), images=1),
)

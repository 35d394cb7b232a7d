"""The demo's people: bylines and the user accounts a developer logs in with.

Dev only: the passwords are printed by the seed and must never reach production.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuthorDef:
    slug: str
    name: str
    role: str
    bio: str
    initials: str
    colour: str
    username: str | None = None


AUTHORS: tuple[AuthorDef, ...] = (
    AuthorDef("lin-xiaoyu", "林晓雨 Lin Xiaoyu", "厨房与家居编辑 Kitchen & home editor",
              "做了八年家居编辑，家里的锅比衣服多。Eight years on the home desk; owns more pans than shirts.",
              "林", "#6f9a82", username="editor"),
    AuthorDef("emma-hart", "Emma Hart", "主编 Editor-in-chief",
              "Former product tester at a consumer magazine in London. 曾在伦敦一家消费杂志做产品测试。",
              "EH", "#b56576", username="admin"),
    AuthorDef("chen-mo", "陈默 Chen Mo", "数码编辑 Tech editor",
              "每天通勤两小时，耳机是他的第二个办公室。Two hours of commuting a day; headphones are his second office.",
              "陈", "#3d5a80"),
    AuthorDef("tom-walker", "Tom Walker", "户外作者 Outdoors writer",
              "Has slept in tents on four continents and one very wet Welsh hillside. 在四个大洲睡过帐篷。",
              "TW", "#52796f"),
    AuthorDef("zhou-nan", "周楠 Zhou Nan", "母婴编辑 Family editor",
              "两个孩子的妈妈，所有推荐都先在自己家试过。Mother of two; everything she recommends was tried at home first.",
              "周", "#9d8ec7"),
)


@dataclass(frozen=True)
class UserDef:
    username: str
    password: str
    email: str
    first_name: str
    can: str
    superuser: bool = False
    groups: tuple[str, ...] = field(default_factory=tuple)


USERS: tuple[UserDef, ...] = (
    UserDef("admin", "haowu-admin", "admin@haowu.test", "Emma",
            "everything: pages, products, users and settings", superuser=True),
    UserDef("editor", "haowu-editor", "editor@haowu.test", "晓雨",
            "write and edit articles, choose products in blocks; publishing goes through moderation",
            groups=("Editors",)),
    UserDef("marketer", "haowu-marketer", "marketer@haowu.test", "Marketing",
            "marketing reports and CSV/XLSX exports; no page editing",
            groups=("Marketers",)),
    UserDef("operator", "haowu-operator", "operator@haowu.test", "Ops",
            "catalogue, prices and stock, orders: mark paid, ship, cancel, refund",
            groups=("Operators",)),
)

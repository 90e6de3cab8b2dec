"""Texts shown to users, in Russian and English (one table, looked up by key)."""

from __future__ import annotations

import math
from typing import Any

LANGUAGES = ("ru", "en")

_TEXTS: dict[str, dict[str, str]] = {
    # kinds of way ("on the sidewalk of ...")
    "kind.sidewalk": {"ru": "тротуар", "en": "the sidewalk"},
    "kind.footway": {"ru": "пешеходную дорожку", "en": "the footway"},
    "kind.path": {"ru": "тропинку", "en": "the path"},
    "kind.pedestrian": {"ru": "пешеходную улицу", "en": "the pedestrian street"},
    "kind.road": {"ru": "проезжую часть", "en": "the carriageway"},
    "kind.living_street": {"ru": "жилую зону", "en": "the living street"},
    "kind.cycleway": {"ru": "велодорожку", "en": "the cycleway"},
    "kind.track": {"ru": "грунтовую дорогу", "en": "the track"},
    "kind.corridor": {"ru": "коридор", "en": "the corridor"},
    "kind.platform": {"ru": "платформу", "en": "the platform"},
    "kind.pier": {"ru": "пирс", "en": "the pier"},
    "kind.bridleway": {"ru": "дорожку", "en": "the bridleway"},
    "kind.other": {"ru": "дорожку", "en": "the way"},
    "kind_dat.sidewalk": {"ru": "тротуару", "en": ""},
    "kind_dat.footway": {"ru": "пешеходной дорожке", "en": ""},
    "kind_dat.path": {"ru": "тропинке", "en": ""},
    "kind_dat.pedestrian": {"ru": "пешеходной улице", "en": ""},
    "kind_dat.road": {"ru": "проезжей части", "en": ""},
    "kind_dat.living_street": {"ru": "жилой зоне", "en": ""},
    "kind_dat.cycleway": {"ru": "велодорожке", "en": ""},
    "kind_dat.track": {"ru": "грунтовой дороге", "en": ""},
    "kind_dat.corridor": {"ru": "коридору", "en": ""},
    "kind_dat.platform": {"ru": "платформе", "en": ""},
    "kind_dat.pier": {"ru": "пирсу", "en": ""},
    "kind_dat.bridleway": {"ru": "дорожке", "en": ""},
    "kind_dat.other": {"ru": "дорожке", "en": ""},
    "of": {"ru": "{kind} {name}", "en": "{kind} of {name}"},
    "named_road": {"ru": "{name}", "en": "{name}"},
    # turns
    "turn.straight": {"ru": "продолжайте прямо", "en": "continue straight"},
    "turn.slight_left": {"ru": "держитесь левее", "en": "bear left"},
    "turn.slight_right": {"ru": "держитесь правее", "en": "bear right"},
    "turn.left": {"ru": "поверните налево", "en": "turn left"},
    "turn.right": {"ru": "поверните направо", "en": "turn right"},
    "turn.sharp_left": {"ru": "резко поверните налево", "en": "turn sharp left"},
    "turn.sharp_right": {"ru": "резко поверните направо", "en": "turn sharp right"},
    "turn.uturn": {"ru": "развернитесь", "en": "turn around"},
    "onto": {"ru": "{turn} на {way}", "en": "{turn} onto {way}"},
    "in_m": {"ru": "Через {m} м {what}", "en": "In {m} m {what}"},
    "start": {"ru": "Идите на {dir} по {way}", "en": "Head {dir} on {way}"},
    "arrive": {"ru": "Через {m} м вы на месте", "en": "In {m} m you have arrived"},
    "dir.n": {"ru": "север", "en": "north"},
    "dir.ne": {"ru": "северо-восток", "en": "northeast"},
    "dir.e": {"ru": "восток", "en": "east"},
    "dir.se": {"ru": "юго-восток", "en": "southeast"},
    "dir.s": {"ru": "юг", "en": "south"},
    "dir.sw": {"ru": "юго-запад", "en": "southwest"},
    "dir.w": {"ru": "запад", "en": "west"},
    "dir.nw": {"ru": "северо-запад", "en": "northwest"},
    # crossings
    "cross.signals_sound": {
        "ru": "перейдите дорогу по светофору со звуковым сигналом",
        "en": "cross at the signal with sound",
    },
    "cross.signals": {"ru": "перейдите дорогу по светофору", "en": "cross at the signal"},
    "cross.marked": {
        "ru": "перейдите дорогу по пешеходному переходу",
        "en": "cross at the zebra crossing",
    },
    "cross.unmarked": {
        "ru": "перейдите дорогу (переход без разметки)",
        "en": "cross the road (unmarked crossing)",
    },
    "cross.unknown": {"ru": "перейдите дорогу", "en": "cross the road"},
    "cross.tactile": {"ru": ", есть тактильная плитка", "en": ", tactile paving"},
    "cross.name": {"ru": " через {name}", "en": " over {name}"},
    "cross.then": {
        "ru": "{what}, дальше по {way}",
        "en": "{what}, then on along {way}",
    },
    "cross.island": {"ru": "{what} через островок", "en": "{what} via the traffic island"},
    "cross.island_then": {"ru": "; с островка {cross}", "en": "; from the island, {cross}"},
    "cross.turn_then": {"ru": ", затем {turn} и {cross}", "en": ", then {turn} and {cross}"},
    # crossings of side streets passed within a step ("по пути 2 перехода (без разметки)")
    "step.on": {
        "ru": "{what}, дальше прямо по {way}",
        "en": "{what}, then straight on along {way}",
    },
    "passed.single": {"ru": "по пути переход ({kinds})", "en": "a crossing on the way ({kinds})"},
    "passed.one": {
        "ru": "по пути {n} переход ({kinds})",
        "en": "{n} crossing on the way ({kinds})",
    },
    "passed.few": {
        "ru": "по пути {n} перехода ({kinds})",
        "en": "{n} crossings on the way ({kinds})",
    },
    "passed.many": {
        "ru": "по пути {n} переходов ({kinds})",
        "en": "{n} crossings on the way ({kinds})",
    },
    "passed.other": {
        "ru": "по пути {n} перехода ({kinds})",
        "en": "{n} crossings on the way ({kinds})",
    },
    "passed.count": {"ru": "{what}: {n}", "en": "{what}: {n}"},
    "steps.up": {"ru": "поднимитесь по лестнице", "en": "go up the steps"},
    "steps.down": {"ru": "спуститесь по лестнице", "en": "go down the steps"},
    "steps.any": {"ru": "пройдите по лестнице", "en": "take the steps"},
    "steps.count.one": {"ru": " ({n} ступенька)", "en": " ({n} step)"},
    "steps.count.few": {"ru": " ({n} ступеньки)", "en": " ({n} steps)"},
    "steps.count.many": {"ru": " ({n} ступенек)", "en": " ({n} steps)"},
    "steps.count.other": {"ru": " ({n} ступеньки)", "en": " ({n} steps)"},
    "ramp": {"ru": "воспользуйтесь пандусом", "en": "use the ramp"},
    "elevator": {"ru": "воспользуйтесь лифтом", "en": "take the elevator"},
    "escalator": {"ru": "воспользуйтесь эскалатором", "en": "take the escalator"},
    # barriers passed
    "barrier.kerb": {"ru": "бордюр {value} см ({kerb})", "en": "kerb {value} cm ({kerb})"},
    "barrier.kerb_unknown": {
        "ru": "бордюр неизвестной высоты",
        "en": "kerb of unknown height",
    },
    "kerb.raised": {"ru": "высокий", "en": "raised"},
    "kerb.lowered": {"ru": "понижен", "en": "lowered"},
    "kerb.flush": {"ru": "вровень", "en": "flush"},
    "kerb.rolled": {"ru": "скруглённый", "en": "rolled"},
    "kerb.unknown": {"ru": "тип неизвестен", "en": "type unknown"},
    "barrier.crossing": {"ru": "переход: {value}", "en": "crossing: {value}"},
    "crossing.signals": {"ru": "светофор", "en": "traffic signals"},
    "crossing.marked": {"ru": "зебра", "en": "marked"},
    "crossing.unmarked": {"ru": "без разметки", "en": "unmarked"},
    "crossing.unknown": {"ru": "тип неизвестен", "en": "type unknown"},
    "crossing.no": {"ru": "переход запрещён", "en": "no crossing"},
    "crossing.sound": {"ru": ", звуковой сигнал", "en": ", with sound"},
    "crossing.tactile": {"ru": ", тактильная плитка", "en": ", tactile paving"},
    "barrier.steps": {"ru": "лестница", "en": "steps"},
    "barrier.ramp": {"ru": "пандус у лестницы", "en": "ramp beside the steps"},
    "barrier.elevator": {"ru": "лифт {value}", "en": "elevator {value}"},
    "barrier.escalator": {"ru": "эскалатор", "en": "escalator"},
    "barrier.incline": {"ru": "уклон {value} %", "en": "incline {value} %"},
    "barrier.barrier": {"ru": "препятствие: {value}", "en": "barrier: {value}"},
    "barrier.width": {"ru": "ширина {value} м", "en": "width {value} m"},
    "barrier.surface": {"ru": "покрытие: {value}", "en": "surface: {value}"},
    "barrier.smoothness": {"ru": "ровность: {value}", "en": "smoothness: {value}"},
    "barrier.wheelchair_no": {
        "ru": "отмечено как недоступное для колясок",
        "en": "marked not wheelchair accessible",
    },
    "barrier.wheelchair_limited": {
        "ru": "ограниченно доступно (ступень до 7 см)",
        "en": "limited access (a step up to 7 cm)",
    },
    "barrier.obstacle": {
        "ru": "препятствие (обследование), тяжесть {value} из 5",
        "en": "obstacle (survey), severity {value} of 5",
    },
    "barrier.closed": {"ru": "временно закрыто{note}", "en": "temporarily closed{note}"},
    "barrier.elevator_down": {
        "ru": "лифт не работает{note}",
        "en": "elevator out of service{note}",
    },
    "barrier.oneway_foot": {
        "ru": "проход только в одну сторону",
        "en": "one way only for pedestrians",
    },
    "barrier.node_access": {
        "ru": "закрытые ворота/частный проход (узел){value}",
        "en": "closed gate / private passage (node){value}",
    },
    "barrier.node_wheelchair_no": {
        "ru": "проход (узел) отмечен как недоступный для колясок",
        "en": "passage (node) marked not wheelchair accessible",
    },
    "barrier.node_wheelchair_limited": {
        "ru": "проход (узел) ограниченно доступен (ступень до 7 см)",
        "en": "passage (node) of limited access (a step up to 7 cm)",
    },
    "barrier.carriageway": {
        "ru": "{value} м по проезжей части (тротуары нанесены отдельно)",
        "en": "{value} m along the carriageway (sidewalks mapped separately)",
    },
    "source.tag": {"ru": "OSM", "en": "OSM"},
    # warnings
    "warn.kerb_unknown.one": {
        "ru": "На маршруте {n} бордюр неизвестной высоты: проверьте на месте.",
        "en": "The route passes {n} kerb of unknown height: check on site.",
    },
    "warn.kerb_unknown.few": {
        "ru": "На маршруте {n} бордюра неизвестной высоты: проверьте на месте.",
        "en": "The route passes {n} kerbs of unknown height: check on site.",
    },
    "warn.kerb_unknown.many": {
        "ru": "На маршруте {n} бордюров неизвестной высоты: проверьте на месте.",
        "en": "The route passes {n} kerbs of unknown height: check on site.",
    },
    "warn.kerb_unknown.other": {
        "ru": "На маршруте {n} бордюра неизвестной высоты: проверьте на месте.",
        "en": "The route passes {n} kerbs of unknown height: check on site.",
    },
    "warn.incline_low_confidence": {
        "ru": "Уклон на {m} м известен лишь приблизительно ({source}).",
        "en": "The incline of {m} m is known only roughly ({source}).",
    },
    # Where a rough incline comes from, said to people (``incline_source``).
    "incline_source.tag": {
        "ru": "на карте указано лишь направление",
        "en": "the map gives only the direction",
    },
    "incline_source.dem": {
        "ru": "по модели рельефа",
        "en": "from the elevation model",
    },
    "incline_source.survey": {
        "ru": "по осмотру на месте",
        "en": "estimated on site",
    },
    "warn.crossing_unknown.one": {
        "ru": "Тип {n} перехода неизвестен.",
        "en": "The type of {n} crossing is unknown.",
    },
    "warn.crossing_unknown.few": {
        "ru": "Тип {n} переходов неизвестен.",
        "en": "The type of {n} crossings is unknown.",
    },
    "warn.crossing_unknown.many": {
        "ru": "Тип {n} переходов неизвестен.",
        "en": "The type of {n} crossings is unknown.",
    },
    "warn.crossing_unknown.other": {
        "ru": "Тип {n} перехода неизвестен.",
        "en": "The type of {n} crossings is unknown.",
    },
    # barriers grouped in the route's list ("9 бордюров неизвестной высоты: шаги 3, 5, 8")
    "group.kerb_unknown.one": {
        "ru": "{n} бордюр неизвестной высоты",
        "en": "{n} kerb of unknown height",
    },
    "group.kerb_unknown.few": {
        "ru": "{n} бордюра неизвестной высоты",
        "en": "{n} kerbs of unknown height",
    },
    "group.kerb_unknown.many": {
        "ru": "{n} бордюров неизвестной высоты",
        "en": "{n} kerbs of unknown height",
    },
    "group.kerb_unknown.other": {
        "ru": "{n} бордюра неизвестной высоты",
        "en": "{n} kerbs of unknown height",
    },
    "group.times": {"ru": "{what} ×{n}", "en": "{what} ×{n}"},
    "group.step": {"ru": "{what}: шаг {steps}", "en": "{what}: step {steps}"},
    "group.steps": {"ru": "{what}: шаги {steps}", "en": "{what}: steps {steps}"},
    "step.with": {"ru": "{what}, {barriers}", "en": "{what}, {barriers}"},
    "warn.sidewalk_unknown": {
        "ru": "На {m} м маршрута неизвестно, есть ли тротуар у дороги.",
        "en": "On {m} m of the route it is unknown whether the road has a sidewalk.",
    },
    "warn.carriageway": {
        "ru": "{m} м маршрута идут по проезжей части.",
        "en": "{m} m of the route run on the carriageway.",
    },
    "warn.steep_guess": {
        "ru": "Крутой участок ({m} м) по неточным данным: возможно, не пройти.",
        "en": "A steep stretch ({m} m) from rough data: it may be impassable.",
    },
    "warn.overlays": {
        "ru": "Учтены временные ограничения: {what}.",
        "en": "Temporary restrictions applied: {what}.",
    },
    "warn.elevator": {
        "ru": "Маршрут использует лифт: он может не работать.",
        "en": "The route uses an elevator: it may be out of service.",
    },
    "no_route": {
        "ru": "Доступного маршрута для профиля «{profile}» нет.",
        "en": "No accessible route for the profile “{profile}”.",
    },
    "no_route.blocking": {"ru": "Мешают: {what}.", "en": "Blocked by: {what}."},
    "warn.snap_moved.from": {
        "ru": "Начало маршрута перенесено на {m} м к ближайшей дорожке, связанной с сетью.",
        "en": "The start was moved {m} m to the nearest way that connects to the network.",
    },
    "warn.snap_moved.to": {
        "ru": "Конец маршрута перенесён на {m} м к ближайшей дорожке, связанной с сетью.",
        "en": "The destination was moved {m} m to the nearest way that connects to the network.",
    },
    "no_route.island.from": {
        "ru": (
            "Начало маршрута лежит на отрезанном кусочке сети дорожек: в пределах {m} м от него "
            "нет дорожки, по которой можно дойти до конца маршрута даже пешком. Поставьте "
            "начало на соседнюю улицу."
        ),
        "en": (
            "The start lies on a piece of paths that is cut off: no way within {m} m of it "
            "leads to the destination, even on foot. Put the start on a nearby street."
        ),
    },
    "no_route.island.to": {
        "ru": (
            "Конец маршрута лежит на отрезанном кусочке сети дорожек: в пределах {m} м от него "
            "нет дорожки, по которой можно дойти до него от начала маршрута даже пешком. "
            "Поставьте конец на соседнюю улицу."
        ),
        "en": (
            "The destination lies on a piece of paths that is cut off: no way within {m} m of "
            "it can be reached from the start, even on foot. Put the destination on a nearby "
            "street."
        ),
    },
    "no_route.island.both": {
        "ru": (
            "Начало и конец маршрута лежат на отрезанных кусочках сети дорожек, не связанных "
            "между собой даже для пешехода (в пределах {m} м от каждого). Поставьте их на "
            "соседние улицы."
        ),
        "en": (
            "The start and the destination lie on pieces of paths that are cut off and do not "
            "connect, even on foot (within {m} m of each). Put them on nearby streets."
        ),
    },
    "no_route.enclosed.from": {
        "ru": (
            "Начало маршрута окружено препятствиями для этого профиля: всего {n}, ближайшее — "
            "{what}, в {m} м от начала."
        ),
        "en": (
            "Your start is enclosed by barriers for this profile: {n} in all, the nearest "
            "{what}, {m} m from the start."
        ),
    },
    "no_route.enclosed.to": {
        "ru": (
            "До цели можно добраться только через препятствия для этого профиля: всего {n}, "
            "ближайшее к цели — {what}, в {m} м от неё."
        ),
        "en": (
            "The destination can only be reached through barriers for this profile: {n} in "
            "all, the nearest {what}, {m} m before the destination."
        ),
    },
    "no_route.enclosed.from.here": {
        "ru": (
            "Начало маршрута окружено препятствиями для этого профиля: всего {n}, ближайшее — "
            "{what}, прямо у начала."
        ),
        "en": (
            "Your start is enclosed by barriers for this profile: {n} in all, the nearest "
            "{what}, right at the start."
        ),
    },
    "no_route.enclosed.to.here": {
        "ru": (
            "До цели можно добраться только через препятствия для этого профиля: всего {n}, "
            "ближайшее к цели — {what}, у самой цели."
        ),
        "en": (
            "The destination can only be reached through barriers for this profile: {n} in "
            "all, the nearest {what}, right at the destination."
        ),
    },
    "no_route.enclosed.from.none": {
        "ru": "Из начала маршрута для этого профиля выйти нельзя.",
        "en": "There is no way out of the start for this profile.",
    },
    "no_route.enclosed.to.none": {
        "ru": "До цели для этого профиля дойти нельзя.",
        "en": "There is no way into the destination for this profile.",
    },
    "no_route.separate.from": {
        "ru": (
            "Начало маршрута лежит на отдельном куске сети дорожек, не связанном с целью даже "
            "для пешехода. Ближайшая точка, связанная с целью: {lat}, {lon} ({m} м)."
        ),
        "en": (
            "The start lies on a separate piece of the network that does not connect to the "
            "destination even on foot. The nearest connected point: {lat}, {lon} ({m} m away)."
        ),
    },
    "no_route.separate.to": {
        "ru": (
            "Цель лежит на отдельном куске сети дорожек, не связанном с началом даже для "
            "пешехода. Ближайшая точка, связанная с началом: {lat}, {lon} ({m} м)."
        ),
        "en": (
            "The destination lies on a separate piece of the network that does not connect to "
            "the start even on foot. The nearest connected point: {lat}, {lon} ({m} m away)."
        ),
    },
    "no_route.separate.from.alone": {
        "ru": "Начало маршрута лежит на отдельном куске сети дорожек, не связанном с целью.",
        "en": "The start lies on a separate piece of the network, apart from the destination.",
    },
    "no_route.separate.to.alone": {
        "ru": "Цель лежит на отдельном куске сети дорожек, не связанном с началом.",
        "en": "The destination lies on a separate piece of the network, apart from the start.",
    },
    # hints of a no-route answer: button labels, a setting that connects in plain words
    "hint.allow": {"ru": "Разрешить {what}", "en": "Allow {what}"},
    "hint.and": {"ru": " и ", "en": " and "},
    "hint.max_kerb_cm": {"ru": "бордюры до {v} см", "en": "kerbs up to {v} cm"},
    "hint.max_incline_up_pct": {"ru": "подъёмы до {v} %", "en": "climbs up to {v} %"},
    "hint.max_incline_down_pct": {"ru": "спуски до {v} %", "en": "descents up to {v} %"},
    "hint.min_width_m": {"ru": "проходы шириной от {v} м", "en": "passages from {v} m wide"},
    "hint.max_carriageway_m": {
        "ru": "до {v} м по проезжей части",
        "en": "up to {v} m along the carriageway",
    },
    "hint.max_obstacle_severity": {
        "ru": "препятствия до степени {v} из 5",
        "en": "obstacles up to severity {v} of 5",
    },
    "hint.min_smoothness": {
        "ru": "более неровное покрытие (до «{v}»)",
        "en": "rougher surfaces (down to “{v}”)",
    },
    "hint.steps": {
        "ru": "лестницы (если избежать нельзя)",
        "en": "steps where there is no other way",
    },
    "hint.unknown": {
        "ru": "участки с неизвестными данными (если обойти нельзя)",
        "en": "ways with unknown data where there is no other way",
    },
    "hint.surface": {"ru": "покрытие «{v}»", "en": "the surface “{v}”"},
    "hint.barrier": {
        "ru": "проход через препятствие «{v}»",
        "en": "passing the barrier “{v}”",
    },
    "no_route.nearest": {
        "ru": "Ближе всего к цели можно добраться до точки {lat}, {lon} ({m} м от цели).",
        "en": "The closest reachable point is {lat}, {lon} ({m} m from the destination).",
    },
    "no_route.looser": {
        "ru": "Маршрут найдётся, если изменить настройки:",
        "en": "A route exists with one of these changes:",
    },
    "length.m": {"ru": "{n} м", "en": "{n} m"},
    "length.km": {"ru": "{n} км", "en": "{n} km"},
    "duration.min": {"ru": "{m} мин", "en": "{m} min"},
    "duration.h": {"ru": "{h} ч", "en": "{h} h"},
    "duration.h_min": {"ru": "{h} ч {m} мин", "en": "{h} h {m} min"},
    "text.title": {"ru": "Маршрут: {profile}", "en": "Route: {profile}"},
    "text.summary": {
        "ru": "{length}, около {duration}.",
        "en": "{length}, about {duration}.",
    },
    "text.walking": {
        "ru": "Пешком: {length}; этот маршрут длиннее на {detour}.",
        "en": "Walking: {length}; this route is {detour} longer.",
    },
    "text.walking_shorter": {
        "ru": "Пешком: {length} (быстрее, но длиннее); этот маршрут короче на {detour}.",
        "en": "Walking: {length} (quicker, but longer); this route is {detour} shorter.",
    },
    "text.walking_same": {
        "ru": "Пешком: {length}, тем же путём.",
        "en": "Walking: {length}, the same way.",
    },
    "text.walking_barriers": {
        "ru": "Пешеходный маршрут прошёл бы через: {what}.",
        "en": "The walking route would pass: {what}.",
    },
    "text.barriers": {"ru": "На пути:", "en": "On the way:"},
    "text.steps": {"ru": "Как идти:", "en": "Directions:"},
    "text.warnings": {"ru": "Внимание:", "en": "Note:"},
    "text.snap": {
        "ru": "Начало и конец привязаны к дорожкам: {a} м и {b} м.",
        "en": "Start and end moved onto the network by {a} m and {b} m.",
    },
    "text.credit": {
        "ru": "Данные карты © участники OpenStreetMap, ODbL 1.0",
        "en": "Map data © OpenStreetMap contributors, ODbL 1.0",
    },
}

#: ``_TEXTS`` by language: each key's template (English where the language has none).
_BY_LANG = {
    lang: {key: entry.get(lang) or entry["en"] for key, entry in _TEXTS.items()}
    for lang in LANGUAGES
}

#: Common Russian street words and their abbreviations for directions ("ул. Маросейка").
_RU_ABBREVIATIONS = {
    "улица": "ул.",
    "переулок": "пер.",
    "проспект": "просп.",
    "площадь": "пл.",
    "бульвар": "бул.",
    "набережная": "наб.",
    "проезд": "пр.",
    "шоссе": "ш.",
}


#: Names of OSM values read out in barrier lists (``barrier=*``, ``surface=*``,
#: ``smoothness=*``): a screen reader should not spell "lift_gate". A value not listed here is
#: shown as it is, underscores as spaces (``osm_value``).
_OSM_VALUES: dict[str, dict[str, dict[str, str]]] = {
    "barrier": {
        "gate": {"ru": "ворота", "en": "gate"},
        "lift_gate": {"ru": "шлагбаум", "en": "barrier arm"},
        "swing_gate": {"ru": "распашные ворота", "en": "swing gate"},
        "sliding_gate": {"ru": "откатные ворота", "en": "sliding gate"},
        "kissing_gate": {"ru": "калитка-лабиринт", "en": "kissing gate"},
        "bollard": {"ru": "столбики", "en": "bollards"},
        "block": {"ru": "бетонные блоки", "en": "concrete blocks"},
        "jersey_barrier": {"ru": "бетонное ограждение", "en": "jersey barrier"},
        "chain": {"ru": "цепь", "en": "chain"},
        "rope": {"ru": "верёвка", "en": "rope"},
        "turnstile": {"ru": "турникет", "en": "turnstile"},
        "full-height_turnstile": {"ru": "турникет в полный рост", "en": "full-height turnstile"},
        "cycle_barrier": {"ru": "велосипедный барьер", "en": "cycle barrier"},
        "motorcycle_barrier": {"ru": "барьер от мотоциклов", "en": "motorcycle barrier"},
        "stile": {"ru": "перелаз", "en": "stile"},
        "step": {"ru": "ступенька", "en": "step"},
        "kerb": {"ru": "бордюр", "en": "kerb"},
        "height_restrictor": {"ru": "ограничитель высоты", "en": "height restrictor"},
        "sump_buster": {"ru": "противотаранный барьер", "en": "sump buster"},
        "planter": {"ru": "вазоны", "en": "planters"},
        "wedge": {"ru": "клиновой барьер", "en": "wedge barrier"},
        "door": {"ru": "дверь", "en": "door"},
        "fence": {"ru": "забор", "en": "fence"},
        "wall": {"ru": "стена", "en": "wall"},
        "retaining_wall": {"ru": "подпорная стена", "en": "retaining wall"},
        "city_wall": {"ru": "городская стена", "en": "city wall"},
        "hedge": {"ru": "живая изгородь", "en": "hedge"},
        "guard_rail": {"ru": "ограждение", "en": "guard rail"},
        "ditch": {"ru": "канава", "en": "ditch"},
        "handrail": {"ru": "поручень-ограждение", "en": "handrail"},
        "hampshire_gate": {"ru": "проволочная калитка", "en": "wire gate"},
        "debris": {"ru": "завал", "en": "debris"},
        "log": {"ru": "бревно", "en": "log"},
        "yes": {"ru": "препятствие", "en": "obstruction"},
    },
    "surface": {
        "asphalt": {"ru": "асфальт", "en": "asphalt"},
        "paved": {"ru": "твёрдое покрытие", "en": "paved"},
        "paving_stones": {"ru": "тротуарная плитка", "en": "paving stones"},
        "concrete": {"ru": "бетон", "en": "concrete"},
        "concrete:plates": {"ru": "бетонные плиты", "en": "concrete plates"},
        "concrete:lanes": {"ru": "бетонные колеи", "en": "concrete lanes"},
        "sett": {"ru": "брусчатка", "en": "sett"},
        "cobblestone": {"ru": "булыжник", "en": "cobblestone"},
        "unhewn_cobblestone": {"ru": "булыжник", "en": "cobblestone"},
        "brick": {"ru": "кирпич", "en": "brick"},
        "stone": {"ru": "камень", "en": "stone"},
        "stepping_stones": {"ru": "камни-ступени", "en": "stepping stones"},
        "metal": {"ru": "металл", "en": "metal"},
        "grate": {"ru": "решётка", "en": "grate"},
        "wood": {"ru": "дерево", "en": "wood"},
        "grass_paver": {"ru": "газонная решётка", "en": "grass paver"},
        "unpaved": {"ru": "без покрытия", "en": "unpaved"},
        "compacted": {"ru": "утрамбованный грунт", "en": "compacted"},
        "fine_gravel": {"ru": "мелкий гравий", "en": "fine gravel"},
        "gravel": {"ru": "гравий", "en": "gravel"},
        "pebblestone": {"ru": "галька", "en": "pebbles"},
        "ground": {"ru": "грунт", "en": "ground"},
        "dirt": {"ru": "грунт", "en": "dirt"},
        "earth": {"ru": "грунт", "en": "earth"},
        "grass": {"ru": "трава", "en": "grass"},
        "sand": {"ru": "песок", "en": "sand"},
        "mud": {"ru": "грязь", "en": "mud"},
    },
    "smoothness": {
        "excellent": {"ru": "отличная", "en": "excellent"},
        "good": {"ru": "хорошая", "en": "good"},
        "intermediate": {"ru": "средняя", "en": "intermediate"},
        "bad": {"ru": "плохая", "en": "bad"},
        "very_bad": {"ru": "очень плохая", "en": "very bad"},
        "horrible": {"ru": "ужасная", "en": "horrible"},
        "very_horrible": {"ru": "очень ужасная", "en": "very horrible"},
        "impassable": {"ru": "непроходимо", "en": "impassable"},
    },
}


def osm_value(lang: str, key: str, value: str) -> str:
    """Name an OSM value for people: ``osm_value("ru", "barrier", "lift_gate")`` is "шлагбаум".

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.
    key
        The OSM key (``barrier``, ``surface``, ``smoothness``).
    value
        Its value as tagged.

    Returns
    -------
    str
        The name in ``lang`` (English if missing), or the value with underscores as spaces when
        it is not in the table.
    """
    names = _OSM_VALUES.get(key, {}).get(value)
    if names is None:
        return value.replace("_", " ")
    return names.get(lang) or names["en"]


def exact_number(value: float, lang: str) -> str:
    """A setting's value in the reader's number format, with up to two decimals (5,5; 0,85).

    Parameters
    ----------
    value
        The number.
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    str
        The formatted number.
    """
    from babel.numbers import format_decimal

    return str(format_decimal(round(value, 2), format="0.##", locale=lang))


def limit_number(value: float, limit: float | None, lang: str) -> str:
    """A number in the reader's format, precise enough to differ from the limit beside it.

    ``limit_number(8.08, 8, "ru")`` is ``"8,1"`` (not ``"8"``, which would read as the limit
    itself); ``limit_number(-10.05, 10, "en")`` is ``"-10.1"``. Without a limit, whole numbers
    from 10 up and one decimal below.

    Parameters
    ----------
    value
        The number.
    limit
        The limit it is shown beside (its magnitude), or None.
    lang
        ``"ru"`` or ``"en"`` (Babel's number format: ``8,1`` / ``8.1``).

    Returns
    -------
    str
        The formatted number.
    """
    from babel.numbers import format_decimal

    if limit is None or not math.isfinite(limit):
        digits = 0 if abs(value) >= 10 or float(value).is_integer() else 1
    else:
        digits = 0
        while digits < 2 and round(abs(value), digits) == round(abs(limit), digits):
            digits += 1
        if abs(value) != abs(limit) and round(abs(value), digits) == round(abs(limit), digits):
            digits = 3
    pattern = "0" if digits == 0 else "0." + "#" * digits
    return str(format_decimal(round(value, digits), format=pattern, locale=lang))


def length_text(metres: float, lang: str) -> str:
    """A route's length as people read it: "740 м", "1,3 км" / "740 m", "1.3 km".

    Under 100 m to the metre, under 1 km to 10 m, from 1 km in kilometres to a tenth (the
    number in the reader's format, through Babel): one text for the map page, the sheet and
    the plain-text route.

    Parameters
    ----------
    metres
        The length.
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    str
        The length with its unit.

    Examples
    --------
    >>> length_text(1262.4, "ru"), length_text(1262.4, "en"), length_text(743.0, "ru")
    ('1,3 км', '1.3 km', '740 м')
    """
    from babel.numbers import format_decimal

    metres = max(0.0, float(metres))
    said = round(metres) if metres < 100 else round(metres, -1)
    if said < 1000:
        return text(lang, "length.m", n=format_decimal(said, format="0", locale=_locale(lang)))
    km = format_decimal(round(metres / 1000, 1), format="0.#", locale=_locale(lang))
    return text(lang, "length.km", n=km)


def duration_text(seconds: float, lang: str) -> str:
    """A travel time as people read it: "25 мин", "2 ч 19 мин" / "25 min", "2 h 19 min".

    Whole minutes rounded up (at least 1), from an hour on in hours and minutes.

    Parameters
    ----------
    seconds
        The time.
    lang
        ``"ru"`` or ``"en"``.

    Returns
    -------
    str
        The time with its units.

    Examples
    --------
    >>> duration_text(8340, "ru"), duration_text(8340, "en"), duration_text(7200, "ru")
    ('2 ч 19 мин', '2 h 19 min', '2 ч')
    """
    minutes = max(1, math.ceil(round(float(seconds), 6) / 60))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return text(lang, "duration.min", m=rest)
    if not rest:
        return text(lang, "duration.h", h=hours)
    return text(lang, "duration.h_min", h=hours, m=rest)


def _locale(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def text(lang: str, key: str, **values: Any) -> str:
    """Return the text ``key`` in ``lang`` (English if missing), filled with ``values``.

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.
    key
        Key in the table.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        The text.
    """
    template = _BY_LANG.get(lang, _BY_LANG["en"]).get(key)
    if template is None:
        return key
    return template.format(**values) if values else template


def plural(lang: str, key: str, n: float, **values: Any) -> str:
    """Return the text ``key`` in the plural form ``n`` takes in ``lang``, filled with ``n``.

    The form is CLDR's, through Babel: Russian ``one`` (1, 21), ``few`` (2, 22), ``many``
    (5, 11, 25), ``other`` (fractions); English ``one`` and ``other``. The table holds the
    forms as ``key.one``, ``key.few``, ... (a missing form falls back to ``key.other``).

    Parameters
    ----------
    lang
        ``"ru"`` or ``"en"``.
    key
        Key in the table, without the form.
    n
        The count.
    **values
        Other values for the placeholders.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> [plural("ru", "group.kerb_unknown", n) for n in (1, 2, 5)]  # doctest: +NORMALIZE_WHITESPACE
    ['1 бордюр неизвестной высоты', '2 бордюра неизвестной высоты',
     '5 бордюров неизвестной высоты']
    """
    form = _plural_form(lang, n)
    table = _BY_LANG.get(lang, _BY_LANG["en"])
    name = f"{key}.{form}" if f"{key}.{form}" in table else f"{key}.other"
    return text(lang, name, n=n, **values)


def _plural_form(lang: str, n: float) -> str:
    from babel.core import Locale

    return str(Locale.parse(lang if lang in LANGUAGES else "en").plural_form(n))


def street(name: str, lang: str) -> str:
    """Shorten a Russian street name the usual way ("улица Маросейка" -> "ул. Маросейка").

    Parameters
    ----------
    name
        Street name as in OSM.
    lang
        Output language (only ``"ru"`` abbreviates).

    Returns
    -------
    str
        The name for directions.
    """
    if lang != "ru":
        return name
    words = name.split()
    if len(words) > 1 and words[0].lower() in _RU_ABBREVIATIONS:
        return " ".join([_RU_ABBREVIATIONS[words[0].lower()], *words[1:]])
    if len(words) > 1 and words[-1].lower() in _RU_ABBREVIATIONS:
        return " ".join([_RU_ABBREVIATIONS[words[-1].lower()], *words[:-1]])
    return name

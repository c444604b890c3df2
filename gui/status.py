"""How the window shows the state of an indicator or a step (core.scoring's done / open / problem)."""

from core.scoring import DONE, OPEN, PROBLEM

STATUS_COLOURS = {DONE: "#2e7d32", OPEN: "#b7791f", PROBLEM: "#c62828"}
STATUS_WORDS = {DONE: "已完成", OPEN: "未填完", PROBLEM: "有问题"}

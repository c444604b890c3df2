# PyInstaller runtime hook of 绩效自评助手, used in place of PyInstaller's pyi_rth_pyside6 (build/jixiao.spec swaps
# them). It does the same set-up, except that the embedded qt.conf (Qt's prefix: where its plugins and
# translations are) is registered right after the program first imports PySide6.QtCore, instead of importing
# QtCore at start. So the command line (`jixiao score …`) never loads Qt: 0.3 s less per command here.
def _jixiao_qt_hook():
    import importlib.util
    import os
    import sys

    from _pyi_rth_utils import prepend_path_to_environment_variable
    from _pyi_rth_utils import qt as qt_rth_utils

    qt_rth_utils.ensure_single_qt_bindings_package("PySide6")
    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")

    class QtConfAfterQtCore:
        """Meta path finder: finds nothing itself; wraps the loading of PySide6.QtCore, once."""

        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                qt_rth_utils.create_embedded_qt_conf("PySide6", qt_path)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, QtConfAfterQtCore())


_jixiao_qt_hook()
del _jixiao_qt_hook

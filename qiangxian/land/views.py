def overview(r): pass
def parcel_list(r, pk=None): pass
def parcel_edit(r, pk=None): pass
def parcel_detail(r, pk=None): pass
def building_list(r, pk=None): pass
def building_edit(r, pk=None): pass
def building_detail(r, pk=None): pass
def idle_list(r, pk=None): pass
def idle_detail(r, pk=None): pass
def breach_list(r, pk=None): pass
def match(r, pk=None): pass
def map_page(r, pk=None): pass
def result_list(r, pk=None): pass
def result_detail(r, pk=None): pass
def run_detail(r, pk=None): pass
def scheme_list(r, pk=None): pass
def scheme_detail(r, pk=None): pass
def sandbox(r, pk=None): pass
